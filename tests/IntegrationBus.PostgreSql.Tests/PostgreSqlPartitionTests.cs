using IntegrationBus.Storage;
using IntegrationBus.TestKit;

namespace IntegrationBus.PostgreSql.Tests;

/// <summary>A per-key outgoing queue split into partitions: each task in exactly one partition, and a lease per partition.</summary>
public sealed class PostgreSqlPartitionTests : IAsyncLifetime
{
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(30);
    private PostgreSqlStoreFixture _fixture = null!;
    private PostgreSqlTaskStore _store = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _fixture = new PostgreSqlStoreFixture();
        _store = await _fixture.StartStoreAsync();
    }

    public async ValueTask DisposeAsync() => await _fixture.DisposeAsync();

    [Fact]
    public async Task FetchAsync_FourPartitions_EveryTaskInExactlyOnePartitionEveryKeyInOneInTaskOrder()
    {
        var crm = Some.Connector();
        var guids = Enumerable.Range(0, 40).Select(_ => Guid.NewGuid()).ToArray();
        // 400 keyed tasks over 40 keys (each key an object GUID), then one task per object logged without a key (as
        // before its connector ordered per object): the runner gives it the object's GUID as its key.
        var keyed = Enumerable.Range(0, 400).Select(i => Some.Task(crm) with { ObjectGuid = guids[i % 40], OrderingKeys = [guids[i % 40].ToString("D")] });
        var unkeyed = guids.Select(g => Some.Task(crm) with { ObjectGuid = g });
        var ids = await _store.Queue.AppendAsync([.. keyed, .. unkeyed], null, Ct);

        var partitions = new List<IReadOnlyList<QueuedTask>>();
        for (var partition = 0; partition < 4; partition++)
        {
            partitions.Add(await FetchAsync(crm, partition, 4));
        }

        Assert.Equal(ids.Order(), partitions.SelectMany(p => p).Select(t => t.Id).Order());
        Assert.All(partitions, p => Assert.Equal(p.Select(t => t.Id).Order(), p.Select(t => t.Id)));
        var partitionsOfKey = partitions
            .SelectMany((tasks, partition) => tasks.Select(t => (Key: t.ObjectGuid!.Value, Partition: partition)))
            .GroupBy(x => x.Key)
            .ToDictionary(g => g.Key, g => g.Select(x => x.Partition).Distinct().Count());
        Assert.Equal(40, partitionsOfKey.Count);
        Assert.All(partitionsOfKey.Values, count => Assert.Equal(1, count));
        Assert.True(partitions.Count(p => p.Count > 0) >= 3, "40 keys hashed to four partitions should use at least three of them.");
    }

    [Fact]
    public async Task FetchAsync_PartitionOutOfRangeOrUnderConnectorOrdering_Throws()
    {
        var crm = Some.Connector();
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => FetchAsync(crm, 4, 4));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => FetchAsync(crm, 0, 257));
        var connectorOrdering = new FetchRequest { Queue = Partition(crm, 1, 2), Limit = 10, Now = Some.Epoch, Ordering = Ordering.Connector };
        var error = await Assert.ThrowsAsync<ArgumentException>(() => _store.Queue.FetchAsync(connectorOrdering, Ct));
        Assert.Contains("PerObject", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TryAcquireAsync_PartitionsOfOneQueue_AreLeasedApartAndFencedApart()
    {
        var crm = Some.Connector();
        var task = (await _store.Queue.AppendAsync([Some.Task(crm) with { OrderingKeys = ["k"] }], null, Ct))[0];
        var first = await AcquireAsync(Partition(crm, 0, 2), "node-a");
        var second = await AcquireAsync(Partition(crm, 1, 2), "node-b");
        Assert.NotNull(first);
        Assert.NotNull(second);
        Assert.Null(await AcquireAsync(Partition(crm, 0, 2), "node-b"));

        // A lease of one partition does not fence another's: node-b's token on partition 1 cannot record for partition 0's holder.
        await _store.Leases.ReleaseAsync(first, Ct);
        var retaken = await AcquireAsync(Partition(crm, 0, 2), "node-c");
        var outcome = new TaskOutcome { TaskId = task, Result = TaskResultKind.Ok, AttemptedAt = Some.Epoch };
        Assert.False(await _store.Queue.RecordAsync(new RecordRequest { Lease = first, Outcomes = [outcome] }, Ct));
        Assert.True(await _store.Queue.RecordAsync(new RecordRequest { Lease = retaken!, Outcomes = [outcome] }, Ct));

        var overview = (await _store.Management.GetQueuesAsync(Ct)).Single(q => q.Connector == crm && q.Direction == TaskDirection.Outgoing);
        Assert.Equal("node-b, node-c", overview.LeaseOwner);
    }

    [Fact]
    public async Task TryAcquireAsync_LiveLeaseGrantedForAnotherPartitionCount_RefusedUntilItIsReleased()
    {
        var crm = Some.Connector();
        var whole = await AcquireAsync(Some.Queue(crm), "node-a");
        Assert.NotNull(whole);

        // A node configured with four partitions would put a key of the whole queue's run in another runner's hands.
        Assert.Null(await AcquireAsync(Partition(crm, 1, 4), "node-b"));
        await _store.Leases.ReleaseAsync(whole, Ct);
        var split = await AcquireAsync(Partition(crm, 1, 4), "node-b");
        Assert.NotNull(split);

        // And the other way round: while a partition of four is live, the whole queue (and a split into two) waits.
        Assert.Null(await AcquireAsync(Some.Queue(crm), "node-a"));
        Assert.Null(await AcquireAsync(Partition(crm, 0, 2), "node-a"));
        Assert.NotNull(await AcquireAsync(Partition(crm, 0, 4), "node-a"));
    }

    private static QueueKey Partition(string connector, int partition, int partitions) =>
        Some.Queue(connector) with { Partition = partition, Partitions = partitions };

    private Task<IReadOnlyList<QueuedTask>> FetchAsync(string connector, int partition, int partitions) =>
        _store.Queue.FetchAsync(new FetchRequest { Queue = Partition(connector, partition, partitions), Limit = 1_000, Now = Some.Epoch, Ordering = Ordering.PerObject }, Ct);

    private Task<QueueLease?> AcquireAsync(QueueKey queue, string owner) =>
        _store.Leases.TryAcquireAsync(new LeaseRequest { Queue = queue, Owner = owner, Duration = Duration, Now = Some.Epoch }, Ct);
}
