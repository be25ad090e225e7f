using IntegrationBus.Diagnostics;
using IntegrationBus.Management;
using IntegrationBus.Storage;
using IntegrationBus.Tests.Support;

namespace IntegrationBus.Tests.Management;

/// <summary>The blocked keys' operations of the management service, against the real store.</summary>
public sealed class BlockedKeysManagementTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static RecordingConnector Crm() => new("crm", s => s.Objects("cms.user", SubscriptionMode.AsyncSimple));

    private static async Task<TestBus> StartAsync()
    {
        var bus = await TestBus.StartAsync([Crm()], start: false);
        await bus.EnsureStartedAsync();
        return bus;
    }

    [Fact]
    public async Task ListAsync_PagesWithNext_EveryBlockedKeyOnceInKeyOrder()
    {
        await using var bus = await StartAsync();
        await KeyedTasks.AppendParkedAsync(bus.Store, bus.Time.GetUtcNow(), "crm", ["c", "a", "b"], "refused", Token);
        await KeyedTasks.AppendAsync(bus.Store, "crm", ["a", "a"], Token);

        var first = await bus.Management.BlockedKeys.ListAsync(new BlockedKeyQuery { Connector = "crm", Limit = 2 }, Token);
        var second = await bus.Management.BlockedKeys.ListAsync(new BlockedKeyQuery { Connector = "crm", After = first.Next, AfterDirection = first.NextDirection!.Value, Limit = 2 }, Token);

        Assert.Equal([("a", 2L), ("b", 0L)], first.Items.Select(k => (k.Key, k.Waiting)));
        Assert.Equal(("b", TaskDirection.Outgoing), (first.Next, first.NextDirection));
        Assert.Equal(["c"], second.Items.Select(k => k.Key));
        Assert.Null(second.Next);
        Assert.Equal(3, (await bus.Management.BlockedKeys.CountAsync(Token))[new QueueKey("crm", TaskDirection.Outgoing)]);
    }

    [Fact]
    public async Task RetryHeadAsync_BlockedKey_MakesHeadPendingAndAuditsWithLogLine()
    {
        await using var bus = await StartAsync();
        var ids = await KeyedTasks.AppendParkedAsync(bus.Store, bus.Time.GetUtcNow(), "crm", ["contact/1"], "refused", Token);
        var logged = bus.Signals.NextAsync(EventIds.BlockedKeyAction, _ => true);

        var head = await bus.Management.BlockedKeys.RetryHeadAsync("crm", "contact/1", actor: "alice", cancellationToken: Token);

        Assert.Equal(ids[0], head.Head.Id);
        Assert.Equal(SynchronizationStatus.Pending, Assert.Single(await bus.ListAsync("crm")).Synchronization.Status);
        Assert.Empty((await bus.Management.BlockedKeys.ListAsync(new BlockedKeyQuery { Connector = "crm" }, Token)).Items);
        var audit = (await bus.Management.ListAuditAsync(new AuditQuery(), Token))[0];
        Assert.Equal(("alice", ManagementActions.RetryBlockedKey, $"key crm Outgoing contact/1 task {ids[0]}", 1L), (audit.Actor, audit.Action, audit.Target, audit.Count));
        var fields = await logged;
        Assert.Equal(("alice", "contact/1", ids[0]), (fields["Actor"], fields["Key"], fields["TaskId"]));
    }

    [Fact]
    public async Task SkipHeadAsync_BlockedKey_DeletesHeadAndLetsTheKeyGoOn()
    {
        await using var bus = await StartAsync();
        var ids = await KeyedTasks.AppendParkedAsync(bus.Store, bus.Time.GetUtcNow(), "crm", ["k"], "refused", Token);
        var later = await KeyedTasks.AppendAsync(bus.Store, "crm", ["k"], Token);

        var head = await bus.Management.BlockedKeys.SkipHeadAsync("crm", "k", actor: "bob", cancellationToken: Token);

        Assert.Equal(ids[0], head.Head.Id);
        Assert.Equal(later, (await bus.ListAsync("crm")).Select(r => r.Task.Id));
        Assert.Equal(ManagementActions.SkipBlockedKey, (await bus.Management.ListAuditAsync(new AuditQuery(), Token))[0].Action);
    }

    [Fact]
    public async Task ReleaseAsync_BlockedKey_HeadStaysFailedAndKeyIsNoLongerBlocked()
    {
        await using var bus = await StartAsync();
        var ids = await KeyedTasks.AppendParkedAsync(bus.Store, bus.Time.GetUtcNow(), "crm", ["k"], "refused", Token);

        var head = await bus.Management.BlockedKeys.ReleaseAsync("crm", "k", actor: "carol", cancellationToken: Token);

        Assert.Equal(ids[0], head.Head.Id);
        Assert.Equal(SynchronizationStatus.Failed, Assert.Single(await bus.ListAsync("crm")).Synchronization.Status);
        Assert.Empty(await bus.Management.BlockedKeys.CountAsync(Token));
        var audit = (await bus.Management.ListAuditAsync(new AuditQuery(), Token))[0];
        Assert.Equal(("carol", ManagementActions.ReleaseBlockedKey), (audit.Actor, audit.Action));
    }

    [Fact]
    public async Task Actions_KeyNotBlocked_ThrowKeyNotBlockedAndAuditNothing()
    {
        await using var bus = await StartAsync();
        await KeyedTasks.AppendParkedAsync(bus.Store, bus.Time.GetUtcNow(), "crm", ["k"], "refused", Token);

        var exception = await Assert.ThrowsAsync<KeyNotBlockedException>(() => bus.Management.BlockedKeys.RetryHeadAsync("crm", "other", cancellationToken: Token));
        await Assert.ThrowsAsync<KeyNotBlockedException>(() => bus.Management.BlockedKeys.SkipHeadAsync("crm", "k", TaskDirection.Incoming, cancellationToken: Token));
        await bus.Management.BlockedKeys.ReleaseAsync("crm", "k", cancellationToken: Token);
        await Assert.ThrowsAsync<KeyNotBlockedException>(() => bus.Management.BlockedKeys.ReleaseAsync("crm", "k", cancellationToken: Token));

        Assert.Contains("'other'", exception.Message, StringComparison.Ordinal);
        Assert.Single(await bus.Management.ListAuditAsync(new AuditQuery(), Token));
    }

    [Fact]
    public async Task Actions_UnknownConnector_ThrowArgumentExceptionNamingTheConnector()
    {
        await using var bus = await StartAsync();

        var list = await Assert.ThrowsAsync<ArgumentException>(() => bus.Management.BlockedKeys.ListAsync(new BlockedKeyQuery { Connector = "nope" }, Token));
        var release = await Assert.ThrowsAsync<ArgumentException>(() => bus.Management.BlockedKeys.ReleaseAsync("nope", "k", cancellationToken: Token));

        Assert.Equal(("connectorName", "connectorName"), (list.ParamName, release.ParamName));
        Assert.Contains("'nope'", release.Message, StringComparison.Ordinal);
    }
}
