using IntegrationBus.FaultTests.Support;

namespace IntegrationBus.FaultTests.Processing;

/// <summary>Kill drill of ordering per object: one worker at a time, 16-way parallel, killed with SIGKILL mid-run.</summary>
[Collection(SequentialDrills.Name)]
public sealed class PerObjectOrderingDrillTests
{
    private static readonly TimeSpan ShortLease = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan FastSweep = TimeSpan.FromMilliseconds(100);

    [Fact]
    public async Task Drain_PerObjectKilledWithSigkill20Times_LosesNothingAndKeepsEveryKeysOrder()
    {
        const int Count = 1_200;
        const int Keys = 60;
        const int Kills = 20;
        using var directory = new FaultDirectory();
        var log = directory.File("deliveries.log");
        await WorkerProcess.SeedAsync(directory.Database, Count, Keys);
        var random = new Random(20_261_201);
        var roundEnds = new List<int>();
        var queuedAtKill = new List<HashSet<long>>();

        for (var kill = 0; kill < Kills; kill++)
        {
            var target = DeliveryLog.Read(log).Count + random.Next(20, 70);
            await using var worker = await WorkerProcess.StartDrainAsync(directory.Database, log, $"k{kill}", ShortLease, FastSweep, slowMs: 10, perObject: 16);
            await DeliveryLog.WaitUntilAsync(d => d.Count >= target || AllDelivered(d, Count), log);
            await worker.KillAsync();
            roundEnds.Add(DeliveryLog.Read(log).Count);
            queuedAtKill.Add(await FaultStore.QueuedObjectIdsAsync(directory.Database));
        }

        await using (var last = await WorkerProcess.StartDrainAsync(directory.Database, log, "final", ShortLease, FastSweep, perObject: 16))
        {
            await DeliveryLog.WaitUntilAsync(d => AllDelivered(d, Count), log);
            await FaultStore.WaitUntilEmptyAsync(directory.Database);
            await last.StopAsync();
        }

        Assert.DoesNotContain(DeliveryLog.ReadLines(log), l => l.StartsWith("OVERLAP", StringComparison.Ordinal));
        var deliveries = DeliveryLog.Read(log);
        Assert.Equal(Enumerable.Range(1, Count).Select(i => (long)i), deliveries.Select(d => d.ObjectId).Distinct().Order());
        Assert.Empty(await FaultStore.QueuedObjectIdsAsync(directory.Database));

        // Within one process every key's items go in logging (ID) order; a later process may repeat only what the store
        // had not acknowledged at the kill, and then again in order. Acknowledged items are never delivered again.
        var round = 0;
        var lastInRound = new Dictionary<long, long>();
        var lastRound = new Dictionary<long, int>();
        var firstDeliveries = new Dictionary<long, List<long>>();
        for (var line = 0; line < deliveries.Count; line++)
        {
            while (round < roundEnds.Count && line >= roundEnds[round])
            {
                round++;
                lastInRound.Clear();
            }

            var id = deliveries[line].ObjectId;
            var key = id % Keys;
            Assert.True(!lastInRound.TryGetValue(key, out var previous) || previous < id, $"Key {key}: item {id} came after item {previous} in round {round}.");
            lastInRound[key] = id;
            if (lastRound.TryGetValue(id, out var earlierRound))
            {
                Assert.True(queuedAtKill[earlierRound].Contains(id), $"Item {id} was delivered again in round {round} although round {earlierRound} had acknowledged it.");
            }
            else
            {
                AddTo(firstDeliveries, key, id);
            }

            lastRound[id] = round;
        }

        Assert.All(firstDeliveries, k => Assert.Equal(k.Value.Order(), k.Value));
        var redelivered = deliveries.Count - Count;
        TestContext.Current.TestOutputHelper?.WriteLine($"{deliveries.Count} deliveries of {Count} tasks over {Keys} keys and {Kills} kills; {redelivered} redelivered.");
        Assert.True(redelivered > 0, "No kill landed mid-batch; the drill did not test redelivery.");
    }

    private static void AddTo(Dictionary<long, List<long>> lists, long key, long id)
    {
        if (!lists.TryGetValue(key, out var list))
        {
            lists[key] = list = [];
        }

        list.Add(id);
    }

    private static bool AllDelivered(IReadOnlyList<Delivery> deliveries, int count) =>
        deliveries.Select(d => d.ObjectId).Distinct().Count() >= count;
}
