using System.Globalization;

namespace IntegrationBus.FaultTests.Support;

/// <summary>The PostgreSQL drills' node processes: each runs every queue of twelve connectors (and the incoming <c>fault-in</c>) on the drill's schema.</summary>
public static class NodeDrill
{
    public const int Connectors = 12;

    /// <summary>The nodes' lease duration: short, so takeovers are quick, yet renewed (every 2 s) with room on a loaded machine.</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromSeconds(6);

    /// <summary>The nodes' sweep: the polling fallback only (NOTIFY wakes them; refused runners look again every quarter lease).</summary>
    public static readonly TimeSpan Sweep = TimeSpan.FromSeconds(5);

    /// <summary>Starts one node per log (named after the log's key) at once; returns when all are ready.</summary>
    /// <param name="partitions">With a value above 0 the nodes also run the <c>keyed</c> connector, its queue split into that many partitions.</param>
    public static Task<Dictionary<string, WorkerProcess>> StartNodesAsync(DrillDatabase database, Dictionary<string, string> logs, int slowMs, int connectors = Connectors, int partitions = 0) =>
        StartAsync(logs.Select(l => (l.Key, l.Value)), database, slowMs, connectors, partitions);

    /// <summary>Starts one node.</summary>
    public static async Task<WorkerProcess> StartNodeAsync(DrillDatabase database, string name, string log, int slowMs, int connectors = Connectors) =>
        (await StartAsync([(name, log)], database, slowMs, connectors, partitions: 0))[name];

    private static async Task<Dictionary<string, WorkerProcess>> StartAsync(IEnumerable<(string Name, string Log)> logs, DrillDatabase database, int slowMs, int connectors, int partitions)
    {
        var starting = logs.Select(async l => (Key: l.Name, Node: await WorkerProcess.StartReadyAsync(l.Name, [
            "pg-node", database.ConnectionString, database.Schema, l.Log,
            "--node", l.Name,
            "--connectors", connectors.ToString(CultureInfo.InvariantCulture),
            "--lease", Lease.ToString("c", CultureInfo.InvariantCulture),
            "--sweep", Sweep.ToString("c", CultureInfo.InvariantCulture),
            "--slow-ms", slowMs.ToString(CultureInfo.InvariantCulture),
            "--partitions", partitions.ToString(CultureInfo.InvariantCulture),
        ]))).ToList();
        try
        {
            return (await Task.WhenAll(starting)).ToDictionary(n => n.Key, n => n.Node);
        }
        catch
        {
            await DisposeAllAsync(starting.Where(s => s.IsCompletedSuccessfully).Select(s => s.Result.Node));
            throw;
        }
    }

    /// <summary>Each queue's first deliveries, in time order, have rising object IDs: FIFO held across nodes and takeovers.</summary>
    public static void AssertFirstDeliveriesInOrder(List<NodeCall> calls)
    {
        foreach (var queue in calls.GroupBy(c => c.Connector))
        {
            var first = queue.GroupBy(c => c.Id).Select(g => g.MinBy(c => c.Start)!).OrderBy(c => c.Start).Select(c => c.Id).ToList();
            Assert.True(first.SequenceEqual(first.Order()), $"Queue {queue.Key} delivered out of order.");
        }
    }

    public static string Describe(Dictionary<int, int> holdings, Dictionary<string, WorkerProcess> nodes) =>
        string.Join(", ", nodes.Select(n => $"{n.Key} {holdings.GetValueOrDefault(n.Value.ProcessId)}"));

    /// <summary>Kills what still runs and shows each node's warnings and errors (its stderr) in the test output.</summary>
    public static async Task DisposeAllAsync(IEnumerable<WorkerProcess> nodes)
    {
        foreach (var node in nodes)
        {
            await node.DisposeAsync();
            var lines = node.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            TestContext.Current.TestOutputHelper?.WriteLine($"node {node.Name}: {lines.Length} lines on stderr{(lines.Length > 0 ? ":" : "")}");
            foreach (var line in lines.Take(20))
            {
                TestContext.Current.TestOutputHelper?.WriteLine($"  {line}");
            }
        }
    }
}
