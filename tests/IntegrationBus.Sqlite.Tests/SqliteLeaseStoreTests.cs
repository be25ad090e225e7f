using IntegrationBus.Storage;
using IntegrationBus.TestKit;

namespace IntegrationBus.Sqlite.Tests;

/// <summary>The SQLite store's own lease rules, beyond the contract: when <c>acquired_at</c> moves, and what a release leaves behind.</summary>
public sealed class SqliteLeaseStoreTests : IAsyncLifetime
{
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(30);

    private readonly SqliteTestFiles _files = new();
    private SqliteTaskStore? _store;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private SqliteTaskStore Store => _store!;

    public async ValueTask InitializeAsync()
    {
        _store = _files.NewStore(_files.NewPath());
        await _store.InitializeAsync(Ct);
    }

    public ValueTask DisposeAsync()
    {
        _files.Dispose();
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task TryAcquireAsync_SameOwnerWhileHeld_KeepsAcquiredAt()
    {
        var first = await AcquireAsync("node-a", Some.Epoch);

        var second = await AcquireAsync("node-a", Some.Epoch.AddSeconds(20));

        Assert.Equal((Some.Epoch, Some.Epoch.AddSeconds(50)), (second!.AcquiredAt, second.ExpiresAt));
        Assert.Equal(first!.Token + 1, second.Token);
    }

    [Fact]
    public async Task TryAcquireAsync_SameOwnerAfterExpiry_StartsANewHold()
    {
        await AcquireAsync("node-a", Some.Epoch);

        var again = await AcquireAsync("node-a", Some.Epoch.AddSeconds(30));

        Assert.Equal(Some.Epoch.AddSeconds(30), again!.AcquiredAt);
    }

    [Fact]
    public async Task RenewAsync_AfterRelease_ReturnsNullAndLeavesTheQueueFree()
    {
        var lease = await AcquireAsync("node-a", Some.Epoch);
        await Store.Leases.ReleaseAsync(lease!, Ct);

        Assert.Null(await Store.Leases.RenewAsync(lease!, Duration, Some.Epoch.AddSeconds(1), Ct));

        var next = await AcquireAsync("node-b", Some.Epoch.AddSeconds(1));
        Assert.Equal((lease!.Token + 1, Some.Epoch.AddSeconds(1)), (next!.Token, next.AcquiredAt));
    }

    [Fact]
    public async Task ReleaseAsync_CurrentLease_KeepsTheRowWithItsTokenAndShowsNoHolder()
    {
        var lease = await AcquireAsync("node-a", Some.Epoch);

        await Store.Leases.ReleaseAsync(lease!, Ct);

        await using var connection = await Store.OpenConnectionAsync(Ct);
        Assert.Equal(lease!.Token, await SqliteTestFiles.ScalarAsync<long>(connection, "SELECT token FROM integration_lease WHERE expires_at = 0;"));
        var queue = Assert.Single(await Store.Management.GetQueuesAsync(Ct));
        Assert.Equal((null, null, null), (queue.LeaseOwner, queue.LeaseAcquiredAt, queue.LeaseExpiresAt));
    }

    [Fact]
    public void UsesStoreClock_Embedded_IsFalse() => Assert.False(Store.Leases.UsesStoreClock);

    private Task<QueueLease?> AcquireAsync(string owner, DateTimeOffset now)
        => Store.Leases.TryAcquireAsync(new LeaseRequest { Queue = Some.Queue("crm"), Owner = owner, Duration = Duration, Now = now }, Ct);
}
