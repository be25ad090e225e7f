using System.Diagnostics;
using IntegrationBus.FaultTests.Support;

namespace IntegrationBus.FaultTests.Processing;

/// <summary>Kill drills of the outgoing runner: worker processes on one SQLite file, killed with SIGKILL.</summary>
/// <remarks>The facts of one class run one after another, which suits a small machine: each starts child processes.</remarks>
[Collection(SequentialDrills.Name)]
public sealed class OutgoingRunnerTests
{
    private static readonly TimeSpan ShortLease = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan FastSweep = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan Sweep = TimeSpan.FromMilliseconds(200);

    [Fact]
    public async Task Drain_KilledWithSigkillMidBatch_LosesNoTaskAndRedeliversOnlyUnacknowledged()
    {
        const int Count = 2_000;
        const int Kills = 20;
        using var directory = new FaultDirectory();
        var log = directory.File("deliveries.log");
        await WorkerProcess.SeedAsync(directory.Database, Count);
        var random = new Random(20_261_127);
        var roundEnds = new List<int>();
        var queuedAtKill = new List<HashSet<long>>();

        for (var kill = 0; kill < Kills; kill++)
        {
            var before = DeliveryLog.Read(log).Count;

            // Batches hold 50 tasks: growing by 51..149 lines records at least one batch and kills inside a later one.
            var target = before + random.Next(51, 150);
            await using var worker = await WorkerProcess.StartDrainAsync(directory.Database, log, $"k{kill}", ShortLease, FastSweep, slowMs: 3);
            await DeliveryLog.WaitUntilAsync(d => d.Count >= target || AllDelivered(d, Count), log);
            await worker.KillAsync();
            roundEnds.Add(DeliveryLog.Read(log).Count);
            queuedAtKill.Add(await FaultStore.QueuedObjectIdsAsync(directory.Database));
        }

        await using (var last = await WorkerProcess.StartDrainAsync(directory.Database, log, "final", ShortLease, FastSweep))
        {
            await DeliveryLog.WaitUntilAsync(d => AllDelivered(d, Count), log);
            await FaultStore.WaitUntilEmptyAsync(directory.Database);
            await last.StopAsync();
        }

        var deliveries = DeliveryLog.Read(log);
        Assert.Equal(Enumerable.Range(1, Count).Select(i => (long)i), deliveries.Select(d => d.ObjectId).Distinct().Order());
        Assert.Empty(await FaultStore.QueuedObjectIdsAsync(directory.Database));

        // A delivery may repeat only when the store had not acknowledged it when its process was killed.
        var round = 0;
        var seenInRound = new HashSet<long>();
        var lastDelivery = new Dictionary<long, int>();
        for (var line = 0; line < deliveries.Count; line++)
        {
            while (round < roundEnds.Count && line >= roundEnds[round])
            {
                round++;
                seenInRound.Clear();
            }

            var id = deliveries[line].ObjectId;
            Assert.True(seenInRound.Add(id), $"Object {id} was delivered twice by one process (round {round}).");
            if (lastDelivery.TryGetValue(id, out var earlierRound))
            {
                Assert.True(
                    queuedAtKill[earlierRound].Contains(id),
                    $"Object {id} was delivered again in round {round} although round {earlierRound} had acknowledged it.");
            }

            lastDelivery[id] = round;
        }

        var redelivered = deliveries.Count - Count;
        TestContext.Current.TestOutputHelper?.WriteLine($"{deliveries.Count} deliveries of {Count} tasks over {Kills} kills; {redelivered} redelivered.");
        Assert.True(redelivered > 0, "No kill landed mid-batch; the drill did not test redelivery.");
    }

    /// <summary>Two processes drain one file; with calls of 2 s against a 1 s lease the heartbeat must keep one runner.</summary>
    [Theory]
    [InlineData(1_000, 2_000, 1)]
    [InlineData(6, 1_000, 2_000)]
    public async Task TwoProcesses_ShareOneFile_NeverRunSameConnectorAtOnceAndLoseNothing(int count, int leaseMs, int slowMs)
    {
        var lease = TimeSpan.FromMilliseconds(leaseMs);
        using var directory = new FaultDirectory();
        var logA = directory.File("a.log");
        var logB = directory.File("b.log");
        await WorkerProcess.SeedAsync(directory.Database, count);

        await using (var a = await WorkerProcess.StartDrainAsync(directory.Database, logA, "A", lease, Sweep, slowMs))
        await using (var b = await WorkerProcess.StartDrainAsync(directory.Database, logB, "B", lease, Sweep, slowMs))
        {
            await DeliveryLog.WaitUntilAsync(d => AllDelivered(d, count), logA, logB);
            await FaultStore.WaitUntilEmptyAsync(directory.Database);
            await Task.WhenAll(a.StopAsync(), b.StopAsync());
        }

        Assert.DoesNotContain(DeliveryLog.ReadLines(logA).Concat(DeliveryLog.ReadLines(logB)), l => l.StartsWith("OVERLAP", StringComparison.Ordinal));
        var deliveries = DeliveryLog.Read(logA).Concat(DeliveryLog.Read(logB)).ToList();
        Assert.Equal(Enumerable.Range(1, count).Select(i => (long)i), deliveries.Select(d => d.ObjectId).Order());
        Assert.Empty(await FaultStore.QueuedObjectIdsAsync(directory.Database));
    }

    /// <summary>
    /// The lease holder is killed while B waits; B takes over once the lease expires. With calls of 2 s against a 1 s lease,
    /// A is killed inside a call it held the lease through by its heartbeat.
    /// </summary>
    [Theory]
    [InlineData(600, 2_000, 5, 75)]
    [InlineData(6, 1_000, 2_000, 1)]
    public async Task TwoProcesses_LeaseHolderKilled_OtherTakesOverAfterExpiryAndLosesNothing(int count, int leaseMs, int slowMs, int deliveredBeforeKill)
    {
        var lease = TimeSpan.FromMilliseconds(leaseMs);
        using var directory = new FaultDirectory();
        var logA = directory.File("a.log");
        var logB = directory.File("b.log");
        await WorkerProcess.SeedAsync(directory.Database, count);

        await using var a = await WorkerProcess.StartDrainAsync(directory.Database, logA, "A", lease, Sweep, slowMs);
        await DeliveryLog.WaitUntilAsync(d => d.Count >= deliveredBeforeKill, logA);
        await using var b = await WorkerProcess.StartDrainAsync(directory.Database, logB, "B", lease, Sweep, slowMs: Math.Min(slowMs, 1_000));
        await a.KillAsync();
        var killed = Stopwatch.StartNew();
        var queuedAtKill = await FaultStore.QueuedObjectIdsAsync(directory.Database);
        var deliveredByA = DeliveryLog.Read(logA);

        await DeliveryLog.WaitUntilAsync(d => d.Count > 0, logB);
        var takeover = killed.Elapsed;
        await DeliveryLog.WaitUntilAsync(d => AllDelivered(d, count), logA, logB);
        await FaultStore.WaitUntilEmptyAsync(directory.Database);
        await b.StopAsync();

        Assert.DoesNotContain(DeliveryLog.ReadLines(logA).Concat(DeliveryLog.ReadLines(logB)), l => l.StartsWith("OVERLAP", StringComparison.Ordinal));
        var deliveredByB = DeliveryLog.Read(logB);
        Assert.All(deliveredByB, d => Assert.Equal("B", d.Node));
        Assert.Equal(Enumerable.Range(1, count).Select(i => (long)i), deliveredByA.Concat(deliveredByB).Select(d => d.ObjectId).Distinct().Order());
        Assert.Equal(deliveredByB.Count, deliveredByB.Select(d => d.ObjectId).Distinct().Count());
        Assert.All(deliveredByB.Select(d => d.ObjectId).Intersect(deliveredByA.Select(d => d.ObjectId)), id => Assert.Contains(id, queuedAtKill));
        Assert.Empty(await FaultStore.QueuedObjectIdsAsync(directory.Database));
        Assert.True(takeover < lease + TimeSpan.FromSeconds(10), $"B took over {takeover} after the kill.");
        TestContext.Current.TestOutputHelper?.WriteLine($"A delivered {deliveredByA.Count}, B {deliveredByB.Count}; B's first delivery came {takeover.TotalMilliseconds:F0} ms after the kill.");
    }

    private static bool AllDelivered(IReadOnlyList<Delivery> deliveries, int count) =>
        deliveries.Select(d => d.ObjectId).Distinct().Count() >= count;
}
