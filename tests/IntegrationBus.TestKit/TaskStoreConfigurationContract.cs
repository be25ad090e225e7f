using IntegrationBus.Storage;
using Xunit;

namespace IntegrationBus.TestKit;

/// <summary>The configuration facts of the store contract: connectors, settings and the notifier. Derive from <see cref="TaskStoreContract"/>.</summary>
public abstract class TaskStoreConfigurationContract : TaskStoreIncomingContract
{
    [Fact]
    public async Task RegisterConnectorsAsync_NewAndKnown_AddsEnabledAndUpdatesDisplayNames()
    {
        var crm = Some.Connector();
        var erp = Some.Connector();
        await Store.Configuration.RegisterConnectorsAsync([new ConnectorState(crm, "CRM", true)], Ct);
        await Store.Configuration.SetConnectorEnabledAsync(crm, false, Ct);

        var all = await Store.Configuration.RegisterConnectorsAsync([new ConnectorState(crm, "The CRM", true), new ConnectorState(erp, "ERP", false)], Ct);

        Assert.Equal([new ConnectorState(erp, "ERP", true), new ConnectorState(crm, "The CRM", false)], all.OrderBy(c => c.DisplayName, StringComparer.Ordinal));
        Assert.Equal(all.ToHashSet(), (await Store.Configuration.GetConnectorsAsync(Ct)).ToHashSet());
    }

    [Fact]
    public async Task SetConnectorEnabledAsync_KnownConnector_PersistsState()
    {
        var crm = Some.Connector();
        await Store.Configuration.RegisterConnectorsAsync([new ConnectorState(crm, "CRM", true)], Ct);

        Assert.True(await Store.Configuration.SetConnectorEnabledAsync(crm, false, Ct));
        Assert.False((await Store.Configuration.GetConnectorsAsync(Ct)).Single().Enabled);
        Assert.True(await Store.Configuration.SetConnectorEnabledAsync(crm, true, Ct));
        Assert.True((await Store.Configuration.GetConnectorsAsync(Ct)).Single().Enabled);
    }

    [Fact]
    public async Task SetConnectorEnabledAsync_UnknownConnector_ReturnsFalse()
        => Assert.False(await Store.Configuration.SetConnectorEnabledAsync(Some.Connector(), false, Ct));

    [Fact]
    public async Task AppendAsync_UnknownConnector_RegistersItEnabled()
    {
        var crm = Some.Connector();

        await AppendOneAsync(Some.Task(crm));

        var connector = Assert.Single(await Store.Configuration.GetConnectorsAsync(Ct));
        Assert.Equal((crm, true), (connector.Name, connector.Enabled));
    }

    [Fact]
    public async Task SetCircuitBreakerAsync_OpenThenClosed_EachReplacesTheStoredState()
    {
        var crm = Some.Connector();
        var erp = Some.Connector();
        await Store.Configuration.RegisterConnectorsAsync([new ConnectorState(crm, "CRM", true), new ConnectorState(erp, "ERP", true)], Ct);
        Assert.Empty(await Store.Configuration.GetCircuitBreakersAsync(Ct));
        var openedAt = Time.GetUtcNow();
        var open = new CircuitBreakerState
        {
            Connector = crm, Status = CircuitBreakerStatus.Open, ChangedAt = openedAt, OpenedAt = openedAt, OpenUntil = openedAt.AddSeconds(30), Reason = "CRM is down",
        };

        Assert.True(await Store.Configuration.SetCircuitBreakerAsync(open, Ct));
        Assert.Equal([open], await Store.Configuration.GetCircuitBreakersAsync(Ct));

        // The name ignoring case finds the connector, as everywhere; the stored name is the registered one.
        var closed = open with { Connector = crm.ToUpperInvariant(), Status = CircuitBreakerStatus.Closed, ChangedAt = openedAt.AddMinutes(1), OpenUntil = null };
        Assert.True(await Store.Configuration.SetCircuitBreakerAsync(closed, Ct));
        Assert.Equal([closed with { Connector = crm }], await Store.Configuration.GetCircuitBreakersAsync(Ct));
    }

    [Fact]
    public async Task SetCircuitBreakerAsync_UnknownConnector_ReturnsFalseAndStoresNothing()
    {
        var state = new CircuitBreakerState { Connector = Some.Connector(), Status = CircuitBreakerStatus.Open, ChangedAt = Time.GetUtcNow(), OpenUntil = Time.GetUtcNow().AddSeconds(5) };

        Assert.False(await Store.Configuration.SetCircuitBreakerAsync(state, Ct));
        Assert.Empty(await Store.Configuration.GetCircuitBreakersAsync(Ct));
    }

    [Fact]
    public async Task GetSettingsAsync_AfterSetSettings_ReturnsLatestValues()
    {
        Assert.Empty(await Store.Configuration.GetSettingsAsync(Ct));

        await Store.Configuration.SetSettingsAsync(new Dictionary<string, string> { ["bus.enabled"] = "true" }, Ct);
        await Store.Configuration.SetSettingsAsync(new Dictionary<string, string> { ["retention"] = "7.00:00:00" }, Ct);
        await Store.Configuration.SetSettingsAsync(new Dictionary<string, string> { ["bus.enabled"] = "false" }, Ct);

        Assert.Equal(
            new Dictionary<string, string> { ["bus.enabled"] = "false", ["retention"] = "7.00:00:00" },
            await Store.Configuration.GetSettingsAsync(Ct));
    }

    [Fact]
    public async Task SetSettingsAsync_SeveralKeys_StoresThemAllAndKeepsOthers()
    {
        await Store.Configuration.SetSettingsAsync(new Dictionary<string, string> { ["a"] = "1", ["b"] = "2" }, Ct);

        await Store.Configuration.SetSettingsAsync(new Dictionary<string, string> { ["b"] = "20", ["c"] = "30", ["d"] = "" }, Ct);

        Assert.Equal(
            new Dictionary<string, string> { ["a"] = "1", ["b"] = "20", ["c"] = "30", ["d"] = "" },
            await Store.Configuration.GetSettingsAsync(Ct));
    }

    [Fact]
    public async Task SetSettingsAsync_NoKeys_ChangesNothing()
    {
        await Store.Configuration.SetSettingsAsync(new Dictionary<string, string> { ["a"] = "1" }, Ct);

        await Store.Configuration.SetSettingsAsync(new Dictionary<string, string>(), Ct);

        Assert.Equal(new Dictionary<string, string> { ["a"] = "1" }, await Store.Configuration.GetSettingsAsync(Ct));
    }

    /// <remarks>
    /// A listener starts after the notifications that exist when it starts, and may poll on the store's clock, so the
    /// fact publishes again and moves <see cref="TaskStoreContractBase.Time"/> on until both listeners have one: a push
    /// notifier passes on the first round, a polling one within a few.
    /// </remarks>
    [Fact]
    public async Task Notifier_Published_ReachesEveryListener()
    {
        if (Store.Notifier is not { } notifier)
        {
            Assert.Skip("The store has no notifier; nodes rely on polling.");
            return;
        }

        var crm = Some.Connector();
        var sent = new BusNotification { Kind = BusNotificationKind.SettingsChanged, Connector = crm, Direction = TaskDirection.Incoming, Sender = "node-a" };
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var first = new TaskCompletionSource<BusNotification>(TaskCreationOptions.RunContinuationsAsynchronously);
        var second = new TaskCompletionSource<BusNotification>(TaskCreationOptions.RunContinuationsAsynchronously);
        var listeners = new[] { first, second }.Select(received => notifier.ListenAsync((notification, _) =>
        {
            if (notification.Connector == crm)
            {
                received.TrySetResult(notification);
            }

            return ValueTask.CompletedTask;
        }, stop.Token)).ToArray();

        var both = Task.WhenAll(first.Task, second.Task);
        for (var round = 0; round < 200 && !both.IsCompleted; round++)
        {
            await notifier.PublishAsync(sent, Ct);
            Time.Advance(TimeSpan.FromSeconds(1));
            await SignalledWithinAsync(Task.WhenAny(both, Task.WhenAny(listeners)), TimeSpan.FromMilliseconds(50));
            if (listeners.FirstOrDefault(listener => listener.IsCompleted) is { } ended)
            {
                await ended;
                Assert.Fail("A listener stopped before it was cancelled.");
            }
        }

        Assert.Equal(sent, await first.Task.WaitAsync(TimeSpan.FromSeconds(1), Ct));
        Assert.Equal(sent, await second.Task.WaitAsync(TimeSpan.FromSeconds(1), Ct));
        await stop.CancelAsync();
        await Task.WhenAll(listeners).WaitAsync(TimeSpan.FromSeconds(10), Ct);
    }

    private static async Task SignalledWithinAsync(Task signal, TimeSpan timeout)
    {
        try
        {
            await signal.WaitAsync(timeout, Ct);
        }
        catch (TimeoutException)
        {
            // Not yet: the caller publishes again and moves time on.
        }
    }
}
