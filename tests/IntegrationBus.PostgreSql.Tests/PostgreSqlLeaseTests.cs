using IntegrationBus.Storage;
using IntegrationBus.TestKit;
using Npgsql;

namespace IntegrationBus.PostgreSql.Tests;

/// <summary>Leases judged by the database clock, and queues spread fairly across nodes.</summary>
public sealed class PostgreSqlLeaseTests : IAsyncLifetime
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
    public async Task TryAcquireAsync_CallerClockFarInTheFuture_DatabaseClockKeepsTheLeaseLive()
    {
        var crm = Some.Connector();
        var farFuture = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(Some.Epoch.AddYears(10));
        var databaseNow = await _fixture.Server.ScalarAsync<DateTime>("SELECT now();");

        var lease = await AcquireAsync(crm, "node-a", farFuture.GetUtcNow());
        farFuture.Advance(TimeSpan.FromDays(1));
        var stolen = await AcquireAsync(crm, "node-b", farFuture.GetUtcNow());

        Assert.NotNull(lease);
        Assert.Null(stolen);
        Assert.InRange(lease.ExpiresAt, databaseNow + Duration - TimeSpan.FromSeconds(5), databaseNow + Duration + TimeSpan.FromSeconds(5));
        Assert.True(_store.Leases.UsesStoreClock);
        Assert.NotNull(await _store.Leases.RenewAsync(lease, Duration, farFuture.GetUtcNow(), Ct));
    }

    [Fact]
    public async Task LeaseRounds_TwoNodesTwelveQueues_NeitherHoldsAllAndTheyShareEvenly()
    {
        var queues = Enumerable.Range(0, 12).Select(_ => Some.Connector()).ToArray();
        var held = new Dictionary<(string Owner, string Queue), QueueLease>();
        // Node A starts alone and takes every queue; then node B starts.
        foreach (var queue in queues)
        {
            held[("node-a", queue)] = (await AcquireAsync(queue, "node-a"))!;
        }

        for (var round = 0; round < 4; round++)
        {
            foreach (var owner in new[] { "node-b", "node-a" })
            {
                foreach (var queue in queues)
                {
                    await RunnerStepAsync(held, owner, queue);
                }
            }
        }

        var counts = new[] { "node-a", "node-b" }.Select(o => held.Keys.Count(k => k.Owner == o)).ToArray();
        Assert.Equal(12, counts.Sum());
        Assert.Equal([6, 6], counts);
        var owners = (await _store.Management.GetQueuesAsync(Ct)).GroupBy(q => q.LeaseOwner).ToDictionary(g => g.Key!, g => g.Count());
        Assert.Equal(new Dictionary<string, int> { ["node-a"] = 6, ["node-b"] = 6 }, owners);
    }

    [Fact]
    public async Task TryAcquireAsync_OwnerAtItsShareWhileAnotherNodeAskedForTheQueue_RefusedAndTheOtherNodeGetsIt()
    {
        var a1 = Some.Connector();
        var a2 = Some.Connector();
        var b1 = Some.Connector();
        var wanted = Some.Connector();
        await AcquireAsync(a1, "node-a");
        await AcquireAsync(a2, "node-a");
        await AcquireAsync(b1, "node-b");
        var first = await AcquireAsync(wanted, "node-a");
        Assert.Null(await AcquireAsync(wanted, "node-b"));
        await _store.Leases.ReleaseAsync(first!, Ct);

        Assert.Null(await AcquireAsync(wanted, "node-a"));
        Assert.NotNull(await AcquireAsync(wanted, "node-b"));
    }

    [Fact]
    public async Task TryAcquireAsync_OwnerAtItsShareButNoOtherNodeAskedForTheQueue_Grants()
    {
        await AcquireAsync(Some.Connector(), "node-a");
        await AcquireAsync(Some.Connector(), "node-a");
        await AcquireAsync(Some.Connector(), "node-b");

        Assert.NotNull(await AcquireAsync(Some.Connector(), "node-a"));
    }

    [Fact]
    public async Task RenewAsync_OwnerOverItsShare_AsksToYieldOnlyWhatAnotherNodeWantsAndOnlyEnough()
    {
        var queues = Enumerable.Range(0, 4).Select(_ => Some.Connector()).ToArray();
        var leases = new List<QueueLease>();
        foreach (var queue in queues)
        {
            leases.Add((await AcquireAsync(queue, "node-a"))!);
        }

        foreach (var queue in queues[..3])
        {
            Assert.Null(await AcquireAsync(queue, "node-b"));
        }

        var renewed = new List<QueueLease>();
        foreach (var lease in leases)
        {
            renewed.Add((await _store.Leases.RenewAsync(lease, Duration, Some.Epoch, Ct))!);
        }

        // Share: ceil(4 / 2) = 2. Node B asked for the first three; node A yields two of them and keeps the rest.
        Assert.Equal([true, true, false, false], renewed.Select(l => l.YieldRequested));
        Assert.True((await _store.Leases.RenewAsync(renewed[0], Duration, Some.Epoch, Ct))!.YieldRequested);
        await _store.Leases.ReleaseAsync(renewed[0], Ct);
        Assert.NotNull(await AcquireAsync(queues[0], "node-b"));
        Assert.False((await _store.Leases.RenewAsync(renewed[2], Duration, Some.Epoch, Ct))!.YieldRequested);
    }

    /// <summary>What a runner does each pass: renew what it holds (releasing it when asked to yield), else try to take it.</summary>
    private async Task RunnerStepAsync(Dictionary<(string Owner, string Queue), QueueLease> held, string owner, string queue)
    {
        if (held.TryGetValue((owner, queue), out var lease))
        {
            var renewed = await _store.Leases.RenewAsync(lease, Duration, Some.Epoch, Ct);
            if (renewed is null || renewed.YieldRequested)
            {
                held.Remove((owner, queue));
                if (renewed is not null)
                {
                    await _store.Leases.ReleaseAsync(renewed, Ct);
                }
            }
            else
            {
                held[(owner, queue)] = renewed;
            }

            return;
        }

        if (await AcquireAsync(queue, owner) is { } acquired)
        {
            held[(owner, queue)] = acquired;
        }
    }

    /// <summary>
    /// A node that stops releases its leases and with them its claim on those queues: a node that starts after it (a
    /// restart gets a new node ID) takes every queue at once instead of a fair share with the node that left, which
    /// would otherwise count as present for a lease duration. (A lease handed over at the store's request keeps its
    /// owner's claim: the rounds below stay balanced.)
    /// </summary>
    [Fact]
    public async Task ReleaseAsync_NodeStoppedCleanly_TheNextNodeTakesEveryQueueAtOnce()
    {
        var queues = Enumerable.Range(0, 4).Select(_ => Some.Connector()).ToArray();
        foreach (var queue in queues)
        {
            await _store.Leases.ReleaseAsync((await AcquireAsync(queue, "node-a"))!, Ct);
        }

        foreach (var queue in queues)
        {
            Assert.NotNull(await AcquireAsync(queue, "node-b"));
        }
    }

    /// <summary>
    /// A run that records under its lease locks the lease row until it commits, however slow its client is. A renewal of
    /// that lease waits for it, but never while holding the lease lock that every grant and renewal takes, so other
    /// queues' leases go on (they waited behind it, a convoy that let busy nodes' leases run out).
    /// </summary>
    [Fact]
    public async Task RenewAsync_WaitsForARunRecordingUnderTheLease_OtherQueuesLeasesGoOnMeanwhile()
    {
        var busy = Some.Connector();
        var other = Some.Connector();
        var lease = (await AcquireAsync(busy, "node-a"))!;
        var table = $"\"{_store.Database.Schema}\".integration_lease";
        await using var connection = await _fixture.Server.OpenAsync();
        await using var recording = await connection.BeginTransactionAsync(Ct);
        await using (var lockRow = new NpgsqlCommand($"SELECT 1 FROM {table} WHERE owner = 'node-a' FOR SHARE", connection, recording))
        {
            await lockRow.ExecuteNonQueryAsync(Ct);
        }

        var renewal = _store.Leases.RenewAsync(lease, Duration, Some.Epoch, Ct);
        await WaitUntilBlockedAsync(table);
        var granted = await AcquireAsync(other, "node-b").WaitAsync(TimeSpan.FromSeconds(10), Ct);

        Assert.NotNull(granted);
        Assert.False(renewal.IsCompleted);
        await recording.CommitAsync(Ct);
        Assert.NotNull(await renewal.WaitAsync(TimeSpan.FromSeconds(10), Ct));
    }

    /// <summary>Polls the server until a statement on the table waits for a lock.</summary>
    private async Task WaitUntilBlockedAsync(string table)
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var waiting = await _fixture.Server.ScalarAsync<long>(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND position(@table in query) > 0", ("table", table));
            if (waiting > 0)
            {
                return;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50), Ct);
        }

        Assert.Fail($"No statement on {table} came to wait for a lock.");
    }

    private Task<QueueLease?> AcquireAsync(string connector, string owner, DateTimeOffset? now = null)
        => _store.Leases.TryAcquireAsync(new LeaseRequest { Queue = Some.Queue(connector), Owner = owner, Duration = Duration, Now = now ?? Some.Epoch }, Ct);
}
