using System.Diagnostics;
using System.Globalization;
using IntegrationBus.FaultTests.Support;

namespace IntegrationBus.FaultTests.PostgreSql;

/// <summary>
/// Three node processes share one connector ordered per object whose outgoing queue is split into eight partitions: the
/// partitions spread over the nodes, and a node killed with SIGKILL hands its partitions to the others with every key's
/// order intact.
/// </summary>
/// <remarks>
/// The nodes run that connector alone: with its incoming queue they share nine queues, so the fair share (three each)
/// gives every node at least two partitions. (With other queues around, a node may hold its share in those alone.)
/// </remarks>
[Collection(SequentialDrills.Name)]
public sealed class PartitionedQueueDrillTests
{
    private const string Connector = "keyed";

    [Fact]
    public async Task ThreeNodes_PartitionedPerObjectQueue_NodeKilledWithSigkill_NothingLostEveryKeyInOrderNeverTwiceAtOnce()
    {
        const int Count = 20_000;
        const int Keys = 600;
        const int Partitions = 8;
        await using var database = DrillDatabase.Require();
        using var directory = new FaultDirectory();
        var logs = new[] { "a", "b", "c" }.ToDictionary(n => n, n => directory.File($"{n}.log"));
        var clock = Stopwatch.StartNew();
        var nodes = await NodeDrill.StartNodesAsync(database, logs, slowMs: 100, connectors: 0, partitions: Partitions);
        try
        {
            // The partitions are leases of their own, so the fair share spreads one connector's queue over every node
            // (here while the queue is still empty: the nodes' sweeps renew and hand leases over).
            var spread = await DrillDatabase.WaitUntilAsync(
                () => database.PartitionLeasesByProcessAsync(Connector), h => nodes.Values.All(n => h.GetValueOrDefault(n.ProcessId) > 0), "every node holds a partition");
            var spreadAt = clock.Elapsed;

            // The seed commits in transactions of 1,000 while the nodes deliver (each commit wakes them).
            await WorkerProcess.RunAsync("seed", [
                "pg-seed-keyed", database.ConnectionString, database.Schema,
                Count.ToString(CultureInfo.InvariantCulture), Keys.ToString(CultureInfo.InvariantCulture), Partitions.ToString(CultureInfo.InvariantCulture)]);
            var seeded = clock.Elapsed;
            await NodeCall.WaitUntilAsync(c => c.Count >= Count / 4, "a quarter delivered", [.. logs.Values]);

            var holdings = await database.PartitionLeasesByProcessAsync(Connector);
            var (victimName, victim) = nodes.MaxBy(n => holdings.GetValueOrDefault(n.Value.ProcessId));
            await victim.KillAsync();
            var killedAt = Stopwatch.GetTimestamp();
            var queuedAtKill = (await database.QueuedAsync()).Where(q => q.Connector == Connector).Select(q => q.Id).ToHashSet();
            Assert.NotEmpty(queuedAtKill);

            await DrillDatabase.WaitUntilAsync(database.QueuedCountAsync, q => q == 0, "every task delivered and acknowledged");
            var drained = clock.Elapsed;
            await Task.WhenAll(nodes.Where(n => n.Key != victimName).Select(n => n.Value.StopAsync()));
            var calls = NodeCall.Read([.. logs.Values]).Where(c => c.Connector == Connector).ToList();

            Assert.Equal(Enumerable.Range(1, Count).Select(i => (long)i), calls.Select(c => c.Id).Distinct().Order());

            // Every node delivered before the kill: one connector's throughput came from all three.
            Assert.Equal(3, calls.Where(c => c.Start < killedAt).Select(c => c.Node).Distinct().Count());

            foreach (var key in calls.GroupBy(c => c.Id % Keys))
            {
                // Never two calls of one key at once, on one node or across nodes.
                var ordered = key.OrderBy(c => c.Start).ToList();
                for (var i = 1; i < ordered.Count; i++)
                {
                    Assert.True(ordered[i].Start >= ordered[i - 1].End, $"Key {key.Key}: item {ordered[i].Id} on {ordered[i].Node} started before item {ordered[i - 1].Id} on {ordered[i - 1].Node} ended.");
                }

                // First deliveries keep the logging order of the key.
                var first = key.GroupBy(c => c.Id).Select(g => g.MinBy(c => c.Start)!).OrderBy(c => c.Start).Select(c => c.Id).ToList();
                Assert.True(first.SequenceEqual(first.Order()), $"Key {key.Key} was delivered out of order: {string.Join(", ", first)}.");
            }

            // A repeat is a call the killed node made and the store had not acknowledged when it died.
            var repeats = calls.GroupBy(c => c.Id).Where(g => g.Count() > 1).ToList();
            Assert.All(repeats, g =>
            {
                Assert.Equal(2, g.Count());
                Assert.Equal(victimName, g.OrderBy(c => c.Start).First().Node);
                Assert.Contains(g.Key, queuedAtKill);
            });

            // The victim's keys that still had tasks resumed on the others within the lease duration (+ 5 s).
            var victimKeys = calls.Where(c => c.Node == victimName).Select(c => c.Id % Keys).ToHashSet();
            var waitingKeys = queuedAtKill.Select(id => id % Keys).Where(victimKeys.Contains).ToHashSet();
            var takeovers = waitingKeys
                .Select(k => calls.Where(c => c.Id % Keys == k && c.Node != victimName && c.Start > killedAt).Min(c => c.SecondsAfter(killedAt)))
                .ToList();
            Assert.NotEmpty(takeovers);
            Assert.All(takeovers, seconds => Assert.True(seconds <= NodeDrill.Lease.TotalSeconds + 5, $"A key of the killed node resumed {seconds:F1} s after the kill."));
            TestContext.Current.TestOutputHelper?.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Partition leases once every node held one: {NodeDrill.Describe(spread, nodes)}; at the kill: {NodeDrill.Describe(holdings, nodes)}; killed {victimName}; {queuedAtKill.Count} tasks queued then; its keys resumed after {takeovers.Min():F1}–{takeovers.Max():F1} s; {repeats.Count} calls repeated; {calls.Count} calls; per node {string.Join(", ", calls.GroupBy(c => c.Node).OrderBy(g => g.Key).Select(g => $"{g.Key} {g.Count()}"))}. Spread at {spreadAt.TotalSeconds:F1} s, seeded at {seeded.TotalSeconds:F1} s, all delivered at {drained.TotalSeconds:F1} s."));
        }
        finally
        {
            await NodeDrill.DisposeAllAsync(nodes.Values);
        }
    }
}
