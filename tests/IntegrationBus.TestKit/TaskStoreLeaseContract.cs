using IntegrationBus.Storage;
using Xunit;

namespace IntegrationBus.TestKit;

/// <summary>The runner-lease facts of the store contract: grants, expiry, renewal, release and fencing tokens. Derive from <see cref="TaskStoreContract"/>.</summary>
/// <remarks>Facts that need a lease to expire move time with <see cref="TaskStoreContractBase.AdvanceAsync"/>.</remarks>
public abstract class TaskStoreLeaseContract : TaskStoreOutcomeContract
{
    [Fact]
    public async Task TryAcquireAsync_FreeLease_Acquires()
    {
        var crm = Some.Connector();
        var now = Time.GetUtcNow();

        var lease = await AcquireAsync(crm, "node-a");

        Assert.NotNull(lease);
        Assert.Equal((Some.Queue(crm), "node-a"), (lease.Queue, lease.Owner));
        Assert.True(lease.ExpiresAt > lease.AcquiredAt, $"A lease acquired at {lease.AcquiredAt:O} expires at {lease.ExpiresAt:O}.");
        if (!Store.Leases.UsesStoreClock)
        {
            Assert.Equal((now, now + LeaseDuration), (lease.AcquiredAt, lease.ExpiresAt));
        }
    }

    [Fact]
    public async Task TryAcquireAsync_HeldByAnotherOwner_Refuses()
    {
        var crm = Some.Connector();
        await AcquireAsync(crm, "node-a");

        await AdvanceAsync(LeaseDuration - TimeSpan.FromMilliseconds(1));

        Assert.Null(await AcquireAsync(crm, "node-b"));
    }

    [Fact]
    public async Task TryAcquireAsync_ManyOwnersConcurrently_ExactlyOneWins()
    {
        var crm = Some.Connector();
        var owners = Enumerable.Range(0, 16).Select(i => $"node-{i}").ToArray();
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var attempts = owners.Select(owner => Task.Run(async () =>
        {
            await start.Task;
            return await AcquireAsync(crm, owner);
        }, Ct)).ToArray();
        start.SetResult();
        var results = await Task.WhenAll(attempts);

        var winner = Assert.Single(results, lease => lease is not null)!;
        Assert.NotNull(await AcquireAsync(crm, winner.Owner));
        foreach (var loser in owners.Where(o => o != winner.Owner))
        {
            Assert.True(await AcquireAsync(crm, loser) is null, $"{loser} took the lease that {winner.Owner} holds.");
        }
    }

    [Fact]
    public async Task TryAcquireAsync_LeaseExpired_AnotherOwnerTakesOverWithHigherToken()
    {
        var crm = Some.Connector();
        var first = await AcquireAsync(crm, "node-a");

        await AdvanceAsync(LeaseDuration);

        var second = await AcquireAsync(crm, "node-b");
        Assert.NotNull(second);
        Assert.True(second.Token > first!.Token, $"Token {second.Token} after {first.Token}.");
        Assert.Null(await AcquireAsync(crm, "node-a"));
    }

    [Fact]
    public async Task TryAcquireAsync_SameOwnerAgain_GrantsHigherTokenAndExtendsExpiry()
    {
        var crm = Some.Connector();
        var first = await AcquireAsync(crm, "node-a");
        await AdvanceAsync(TimeSpan.FromSeconds(20));

        var second = await AcquireAsync(crm, "node-a");

        Assert.True(second!.Token > first!.Token, $"Token {second.Token} after {first.Token}.");
        Assert.Null(await Store.Leases.RenewAsync(first, LeaseDuration, Time.GetUtcNow(), Ct));
        await AdvanceAsync(TimeSpan.FromSeconds(20));
        Assert.Null(await AcquireAsync(crm, "node-b"));
        await AdvanceAsync(TimeSpan.FromSeconds(10));
        Assert.NotNull(await AcquireAsync(crm, "node-b"));
    }

    [Fact]
    public async Task TryAcquireAsync_OtherConnectorOrDirection_IsIndependent()
    {
        var crm = Some.Connector();
        var erp = Some.Connector();
        await AcquireAsync(crm, "node-a");

        Assert.NotNull(await AcquireAsync(erp, "node-b"));
        Assert.NotNull(await AcquireAsync(crm, "node-b", TaskDirection.Incoming));
        Assert.Null(await AcquireAsync(crm, "node-b"));
    }

    [Fact]
    public async Task RenewAsync_CurrentLease_ExtendsWithSameTokenAndIsNotTakenAtOldExpiry()
    {
        var crm = Some.Connector();
        var lease = await AcquireAsync(crm, "node-a");
        await AdvanceAsync(TimeSpan.FromSeconds(20));

        var renewed = await Store.Leases.RenewAsync(lease!, LeaseDuration, Time.GetUtcNow(), Ct);

        Assert.NotNull(renewed);
        Assert.Equal((lease!.Token, lease.Owner, lease.AcquiredAt), (renewed.Token, renewed.Owner, renewed.AcquiredAt));
        Assert.True(renewed.ExpiresAt > lease.ExpiresAt, $"Renewed to {renewed.ExpiresAt:O} from {lease.ExpiresAt:O}.");
        await AdvanceAsync(TimeSpan.FromSeconds(20));
        Assert.Null(await AcquireAsync(crm, "node-b"));
        await AdvanceAsync(TimeSpan.FromSeconds(10));
        Assert.NotNull(await AcquireAsync(crm, "node-b"));
    }

    [Fact]
    public async Task RenewAsync_AnotherOwnerTookOver_ReturnsNull()
    {
        var crm = Some.Connector();
        var lease = await AcquireAsync(crm, "node-a");
        await AdvanceAsync(LeaseDuration);
        var successor = await AcquireAsync(crm, "node-b");

        Assert.Null(await Store.Leases.RenewAsync(lease!, LeaseDuration, Time.GetUtcNow(), Ct));

        Assert.NotNull(await Store.Leases.RenewAsync(successor!, LeaseDuration, Time.GetUtcNow(), Ct));
        Assert.Null(await AcquireAsync(crm, "node-a"));
    }

    [Fact]
    public async Task RenewAsync_ExpiredButNotTaken_Succeeds()
    {
        var crm = Some.Connector();
        var lease = await AcquireAsync(crm, "node-a");
        await AdvanceAsync(LeaseDuration + TimeSpan.FromSeconds(5));

        var renewed = await Store.Leases.RenewAsync(lease!, LeaseDuration, Time.GetUtcNow(), Ct);

        Assert.NotNull(renewed);
        Assert.Equal(lease!.Token, renewed.Token);
        Assert.Null(await AcquireAsync(crm, "node-b"));
    }

    [Fact]
    public async Task ReleaseAsync_CurrentLease_LetsAnotherOwnerTakeAtOnce()
    {
        var crm = Some.Connector();
        var lease = await AcquireAsync(crm, "node-a");

        await Store.Leases.ReleaseAsync(lease!, Ct);

        var next = await AcquireAsync(crm, "node-b");
        Assert.NotNull(next);
        Assert.True(next.Token > lease!.Token, $"Token {next.Token} after {lease.Token}.");
    }

    [Fact]
    public async Task ReleaseAsync_StaleLease_LeavesNewOwnerAlone()
    {
        var crm = Some.Connector();
        var stale = await AcquireAsync(crm, "node-a");
        await Store.Leases.ReleaseAsync(stale!, Ct);
        var current = await AcquireAsync(crm, "node-b");

        await Store.Leases.ReleaseAsync(stale!, Ct);

        Assert.Null(await AcquireAsync(crm, "node-a"));
        Assert.NotNull(await Store.Leases.RenewAsync(current!, LeaseDuration, Time.GetUtcNow(), Ct));
    }

    [Fact]
    public async Task ReleaseAsync_ThenAcquireAgain_TokensNeverGoBackwards()
    {
        var crm = Some.Connector();
        var tokens = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            var lease = await AcquireAsync(crm, i % 2 == 0 ? "node-a" : "node-b");
            tokens.Add(lease!.Token);
            await Store.Leases.ReleaseAsync(lease, Ct);
        }

        Assert.True(tokens.Zip(tokens.Skip(1)).All(pair => pair.First < pair.Second), $"Tokens {string.Join(", ", tokens)}.");
    }

    [Fact]
    public async Task ReleaseAsync_NeverAcquired_DoesNothing()
    {
        var crm = Some.Connector();
        var phantom = new QueueLease { Queue = Some.Queue(crm), Owner = "node-a", Token = 1, AcquiredAt = Time.GetUtcNow(), ExpiresAt = Time.GetUtcNow() + LeaseDuration };

        await Store.Leases.ReleaseAsync(phantom, Ct);

        Assert.NotNull(await AcquireAsync(crm, "node-b"));
    }
}
