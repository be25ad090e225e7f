using System.Diagnostics;
using System.Globalization;
using IntegrationBus.FaultTests.Support;

namespace IntegrationBus.FaultTests.PostgreSql;

/// <summary>
/// Three node processes share twelve connectors' queues in one PostgreSQL schema. Each call is recorded with timestamps
/// of the system's monotonic clock, so the drills prove across processes that no queue ever ran on two nodes at once.
/// </summary>
/// <remarks>The facts of one class run one after another; with the SQLite drills in one collection, one drill runs at a time on this small machine.</remarks>
[Collection(SequentialDrills.Name)]
public sealed class SharedQueuesDrillTests
{

    /// <summary>
    /// 30,000 tasks: the queues spread over the three nodes; the node holding most leases of queues that still hold tasks
    /// is killed with SIGKILL, and the others take its queues over within the lease duration (+ 5 s). Nothing is lost,
    /// first deliveries keep each queue's order, and only the killed node's unacknowledged calls repeat.
    /// </summary>
    [Fact]
    public async Task ThreeNodes_BusiestKilledWithSigkill_QueuesResumeElsewhereWithinLeaseNothingLostNeverTwoNodesAtOnce()
    {
        const int PerConnector = 2_500;
        await using var database = DrillDatabase.Require();
        using var directory = new FaultDirectory();
        var logs = new[] { "a", "b", "c" }.ToDictionary(n => n, n => directory.File($"{n}.log"));
        var clock = Stopwatch.StartNew();
        await WorkerProcess.RunAsync("seed", ["pg-seed", database.ConnectionString, database.Schema, $"{NodeDrill.Connectors}", $"{PerConnector}"]);
        var seeded = clock.Elapsed;

        var nodes = await NodeDrill.StartNodesAsync(database, logs, slowMs: 2);
        var started = clock.Elapsed;
        try
        {
            // The fair share spreads the queues: every node comes to hold leases, so none holds them all.
            var spread = await DrillDatabase.WaitUntilAsync(database.LeasesByProcessAsync, h => nodes.Values.All(n => h.GetValueOrDefault(n.ProcessId) > 0), "every node holds a lease");
            await DrillDatabase.WaitUntilAsync(database.QueuedCountAsync, q => q <= NodeDrill.Connectors * PerConnector * 3 / 4, "a quarter delivered");

            // The victim holds most leases of queues that still have tasks (every node also holds idle queues' leases).
            var quarter = clock.Elapsed;
            var holdings = await database.LeasesByProcessAsync();
            var busy = new Dictionary<string, List<string>>();
            foreach (var (name, node) in nodes)
            {
                busy[name] = await database.BusyQueuesHeldByAsync(node.ProcessId);
            }

            var (victimName, victim) = nodes.MaxBy(n => busy[n.Key].Count);
            var victimQueues = busy[victimName];
            Assert.NotEmpty(victimQueues);
            await victim.KillAsync();
            var killedAt = Stopwatch.GetTimestamp();
            var queuedAtKill = await database.QueuedAsync();

            await DrillDatabase.WaitUntilAsync(database.QueuedCountAsync, q => q == 0, "every task delivered and acknowledged");
            var drained = clock.Elapsed;
            await Task.WhenAll(nodes.Where(n => n.Key != victimName).Select(n => n.Value.StopAsync()));
            var calls = NodeCall.Read([.. logs.Values]);

            Assert.Empty(NodeCall.Overlaps(calls));
            Assert.Equal(
                [.. Enumerable.Range(1, NodeDrill.Connectors).SelectMany(c => Enumerable.Range(1, PerConnector).Select(id => ($"c{c:D2}", (long)id)))],
                calls.Select(c => (c.Connector, c.Id)).Distinct().Order().ToList());
            NodeDrill.AssertFirstDeliveriesInOrder(calls);

            // A repeat is a call the killed node made and the store had not acknowledged when it died.
            var repeats = calls.GroupBy(c => (c.Connector, c.Id)).Where(g => g.Count() > 1).ToList();
            Assert.All(repeats, g =>
            {
                Assert.Equal(2, g.Count());
                Assert.Equal(victimName, g.OrderBy(c => c.Start).First().Node);
                Assert.Contains(g.Key, queuedAtKill);
            });

            var takeovers = victimQueues.Select(q => calls.Where(c => c.Connector == q && c.Node != victimName && c.Start > killedAt).Min(c => c.SecondsAfter(killedAt))).ToList();
            Assert.All(takeovers, seconds => Assert.True(seconds <= NodeDrill.Lease.TotalSeconds + 5, $"A queue of the killed node resumed {seconds:F1} s after the kill."));
            TestContext.Current.TestOutputHelper?.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Leases once every node held one: {NodeDrill.Describe(spread, nodes)}; at the kill: {NodeDrill.Describe(holdings, nodes)}, of queues with tasks {string.Join(", ", busy.Select(b => $"{b.Key} {b.Value.Count}"))}; killed {victimName}; they resumed after {takeovers.Min():F1}–{takeovers.Max():F1} s; {repeats.Count} calls repeated; {calls.Count} calls; per node {string.Join(", ", calls.GroupBy(c => c.Node).OrderBy(g => g.Key).Select(g => $"{g.Key} {g.Count()}"))}. Seeded at {seeded.TotalSeconds:F1} s, nodes ready at {started.TotalSeconds:F1} s, a quarter delivered at {quarter.TotalSeconds:F1} s, all at {drained.TotalSeconds:F1} s."));
        }
        finally
        {
            await NodeDrill.DisposeAllAsync(nodes.Values);
        }
    }
}
