using IntegrationBus.Model;
using Xunit;

namespace IntegrationBus.TestKit;

/// <summary>The runner-lease facts of the store contract. Derive from <see cref="TaskStoreContract"/>.</summary>
public abstract class TaskStoreLeaseContract : TaskStoreQueueContract
{
    private static readonly TimeSpan LeaseDuration = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task TryAcquireLeaseAsync_FreeLease_Acquires()
        => Assert.True(await AcquireAsync(Some.Connector(), Some.Owner()));

    [Fact]
    public async Task TryAcquireLeaseAsync_HeldByAnotherOwner_Refuses()
    {
        var crm = Some.Connector();
        await AcquireAsync(crm, "node-a");

        Time.Advance(LeaseDuration - TimeSpan.FromMilliseconds(1));

        Assert.False(await AcquireAsync(crm, "node-b"));
    }

    [Fact]
    public async Task TryAcquireLeaseAsync_ManyOwnersConcurrently_ExactlyOneWins()
    {
        var crm = Some.Connector();
        var owners = Enumerable.Range(0, 16).Select(i => $"node-{i}").ToArray();
        using var start = new SemaphoreSlim(0);

        var attempts = owners.Select(owner => Task.Run(async () =>
        {
            await start.WaitAsync(Ct);
            return await AcquireAsync(crm, owner);
        }, Ct)).ToArray();
        start.Release(owners.Length);
        var results = await Task.WhenAll(attempts);

        Assert.Equal(1, results.Count(won => won));
        var winner = owners[Array.IndexOf(results, true)];
        Assert.True(await AcquireAsync(crm, winner));
        foreach (var loser in owners.Where(o => o != winner))
        {
            Assert.False(await AcquireAsync(crm, loser), $"{loser} took the lease that {winner} holds.");
        }
    }

    [Fact]
    public async Task TryAcquireLeaseAsync_OwnerRenews_ExtendsExpiry()
    {
        var crm = Some.Connector();
        await AcquireAsync(crm, "node-a");
        Time.Advance(TimeSpan.FromSeconds(20));

        Assert.True(await AcquireAsync(crm, "node-a"));

        Time.Advance(TimeSpan.FromSeconds(20));
        Assert.False(await AcquireAsync(crm, "node-b"));
        Time.Advance(TimeSpan.FromSeconds(10));
        Assert.True(await AcquireAsync(crm, "node-b"));
    }

    [Fact]
    public async Task TryAcquireLeaseAsync_LeaseExpired_AnotherOwnerTakesOver()
    {
        var crm = Some.Connector();
        await AcquireAsync(crm, "node-a");

        Time.Advance(LeaseDuration);

        Assert.True(await AcquireAsync(crm, "node-b"));
        Assert.False(await AcquireAsync(crm, "node-a"));
    }

    [Fact]
    public async Task TryAcquireLeaseAsync_OtherConnectorOrDirection_IsIndependent()
    {
        var crm = Some.Connector();
        var erp = Some.Connector();
        await AcquireAsync(crm, "node-a");

        Assert.True(await AcquireAsync(erp, "node-b"));
        Assert.True(await Store.TryAcquireLeaseAsync(crm, TaskDirection.Incoming, "node-b", Time.GetUtcNow(), LeaseDuration, Ct));
        Assert.False(await AcquireAsync(crm, "node-b"));
    }

    [Fact]
    public async Task ReleaseLeaseAsync_ByOwner_LetsAnotherOwnerTakeAtOnce()
    {
        var crm = Some.Connector();
        await AcquireAsync(crm, "node-a");

        await Store.ReleaseLeaseAsync(crm, TaskDirection.Outgoing, "node-a", Ct);

        Assert.True(await AcquireAsync(crm, "node-b"));
    }

    [Fact]
    public async Task ReleaseLeaseAsync_ByAnotherOwner_LeavesLease()
    {
        var crm = Some.Connector();
        await AcquireAsync(crm, "node-a");

        await Store.ReleaseLeaseAsync(crm, TaskDirection.Outgoing, "node-b", Ct);

        Assert.False(await AcquireAsync(crm, "node-b"));
        Assert.True(await AcquireAsync(crm, "node-a"));
    }

    [Fact]
    public async Task ReleaseLeaseAsync_NoLease_DoesNothing()
    {
        var crm = Some.Connector();

        await Store.ReleaseLeaseAsync(crm, TaskDirection.Outgoing, "node-a", Ct);

        Assert.True(await AcquireAsync(crm, "node-b"));
    }

    private Task<bool> AcquireAsync(string connector, string owner)
        => Store.TryAcquireLeaseAsync(connector, TaskDirection.Outgoing, owner, Time.GetUtcNow(), LeaseDuration, Ct);
}
