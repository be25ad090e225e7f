using System.Diagnostics;
using System.Globalization;
using IntegrationBus.FaultTests.Support;

namespace IntegrationBus.FaultTests.PostgreSql;

/// <summary>
/// Three node processes lose their database connections in the middle of a drain: one node's backends are terminated
/// (<c>pg_terminate_backend</c>), or the whole server restarts (<c>pg_ctl restart -m fast</c>). Every node recovers by
/// itself: it stays up, leases again, and nothing is lost; no queue ever runs on two nodes at once.
/// </summary>
[Collection(SequentialDrills.Name)]
public sealed class ConnectionLossDrillTests
{
    private const int PerConnector = 800;
    private const int Total = NodeDrill.Connectors * PerConnector;

    [Fact]
    public async Task ThreeNodes_OneNodesBackendsTerminated_ItRecoversByItselfNothingLostNeverTwoNodesAtOnce()
    {
        await using var database = DrillDatabase.Require();
        await DrillAsync(database, async (nodes, busy) =>
        {
            // The node that holds most queues with tasks loses every connection: pool, listener, runs in progress.
            var (name, _) = busy.MaxBy(b => b.Value);
            var terminated = await database.TerminateNodeAsync(name);
            Assert.True(terminated > 0, $"Node {name} had no connection to terminate.");
            return ([name], $"terminated {terminated} backends of node {name}");
        });
    }

    [Fact]
    public async Task ThreeNodes_ServerRestartedFast_EveryNodeRecoversByItselfNothingLostNeverTwoNodesAtOnce()
    {
        await using var server = await PrivateServer.StartAsync();
        await using var database = DrillDatabase.On(server);
        await DrillAsync(database, async (nodes, _) =>
        {
            var restart = Stopwatch.StartNew();
            await server.RestartFastAsync();
            return ([.. nodes.Keys], $"restarted the server in {restart.Elapsed.TotalSeconds:F1} s");
        });
    }

    /// <summary>
    /// Seeds, starts three nodes, cuts connections once a quarter is delivered, then waits for the rest. The cut returns
    /// the nodes that lost connections: each must lease again afterwards (it recovered without a restart), and the
    /// one that held most queues with tasks must also deliver again.
    /// </summary>
    private static async Task DrillAsync(DrillDatabase database, Func<Dictionary<string, WorkerProcess>, Dictionary<string, int>, Task<(List<string> Cut, string What)>> cut)
    {
        using var directory = new FaultDirectory();
        var logs = new[] { "a", "b", "c" }.ToDictionary(n => n, n => directory.File($"{n}.log"));
        await WorkerProcess.RunAsync("seed", ["pg-seed", database.ConnectionString, database.Schema, $"{NodeDrill.Connectors}", $"{PerConnector}"]);
        var nodes = await NodeDrill.StartNodesAsync(database, logs, slowMs: 2);
        try
        {
            await DrillDatabase.WaitUntilAsync(database.LeasesByProcessAsync, h => nodes.Values.All(n => h.GetValueOrDefault(n.ProcessId) > 0), "every node holds a lease");
            await DrillDatabase.WaitUntilAsync(database.QueuedCountAsync, q => q <= Total * 3 / 4, "a quarter delivered");
            var busy = new Dictionary<string, int>();
            foreach (var (name, node) in nodes)
            {
                busy[name] = (await database.BusyQueuesHeldByAsync(node.ProcessId)).Count;
            }

            var busiest = busy.MaxBy(b => b.Value).Key;
            var (cutNodes, what) = await cut(nodes, busy);
            var cutAt = Stopwatch.GetTimestamp();
            var since = await database.NowAsync();

            await DrillDatabase.WaitUntilAsync(
                () => database.LeasingSinceAsync(since, NodeDrill.Lease),
                owners => cutNodes.All(n => owners.Contains(nodes[n].ProcessId)),
                "every node that lost its connections leases again");
            await DrillDatabase.WaitUntilAsync(database.QueuedCountAsync, q => q == 0, "every task delivered and acknowledged");
            Assert.All(nodes.Values, n => Assert.False(n.HasExited, $"Node {n.Name} exited: {n.Stderr}"));

            // A clean stop (exit code 0) after the drain: the nodes are still healthy, not looping on failures.
            await Task.WhenAll(nodes.Values.Select(n => n.StopAsync()));
            var calls = NodeCall.Read([.. logs.Values]);
            Assert.Empty(NodeCall.Overlaps(calls));
            Assert.Equal(
                [.. Enumerable.Range(1, NodeDrill.Connectors).SelectMany(c => Enumerable.Range(1, PerConnector).Select(id => ($"c{c:D2}", (long)id)))],
                calls.Select(c => (c.Connector, c.Id)).Distinct().Order().ToList());
            NodeDrill.AssertFirstDeliveriesInOrder(calls);
            if (cutNodes.Contains(busiest))
            {
                Assert.Contains(calls, c => c.Node == busiest && c.Start > cutAt);
            }

            TestContext.Current.TestOutputHelper?.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Queues with tasks held when cut: {string.Join(", ", busy.Select(b => $"{b.Key} {b.Value}"))}; {what}; {calls.Count(c => c.Start > cutAt)} calls after it, {calls.Count - Total} repeated; per node {string.Join(", ", calls.GroupBy(c => c.Node).OrderBy(g => g.Key).Select(g => $"{g.Key} {g.Count()}"))}."));
        }
        finally
        {
            await NodeDrill.DisposeAllAsync(nodes.Values);
        }
    }
}
