using IntegrationBus.Diagnostics;
using IntegrationBus.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace IntegrationBus.Tests.Hosting;

/// <summary>The notifier seam: what an operator changes on one node takes effect on the others at once, not at the next poll.</summary>
public sealed class NodeChannelTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static RecordingConnector Crm() => new("crm", s => s.Objects("cms.user", SubscriptionMode.AsyncSimple));

    private static async Task<(TestBus A, TestBus B, RecordingConnector OnA)> TwoNodesAsync(string path)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var notifier = new InMemoryNotifier();
        var onA = Crm();
        var a = await TestBus.StartAsync([onA], b => b.UseNotifier(_ => notifier), path: path, time: time);
        var b = await TestBus.StartAsync([Crm()], b => b.UseNotifier(_ => notifier), path: path, time: time);
        return (a, b, onA);
    }

    [Fact]
    public async Task SetConnectorEnabledAsync_OnOneNode_OtherNodeStopsLoggingForItAtOnce()
    {
        using var file = new SharedDatabaseFile();
        var (a, b, _) = await TwoNodesAsync(file.Path);
        await using (a)
        await using (b)
        {
            var applied = b.Signals.NextAsync(EventIds.ConnectorEnabledChanged, s => Equals(s.GetValueOrDefault("Enabled"), false));
            await a.Management.SetConnectorEnabledAsync("crm", false, cancellationToken: Token);
            await applied;

            await b.Bus.LogChangeAsync(SampleTypes.NewUser(1, "u1"), TaskType.CreateObject, Token);

            Assert.Empty(await b.ListAsync("crm"));
        }
    }

    [Fact]
    public async Task UpdateSettingsAsync_OnOneNode_OtherNodeAppliesAtOnce()
    {
        using var file = new SharedDatabaseFile();
        var (a, b, _) = await TwoNodesAsync(file.Path);
        await using (a)
        await using (b)
        {
            var applied = b.Signals.NextAsync(EventIds.SettingsChanged, _ => true);
            await a.Management.UpdateSettingsAsync(BusSettings.Default with { LogOutgoing = false }, cancellationToken: Token);
            await applied;

            await b.Bus.LogChangeAsync(SampleTypes.NewUser(1, "u1"), TaskType.CreateObject, Token);

            Assert.Empty(await b.ListAsync());
        }
    }

    [Fact]
    public async Task RequestProcessingAsync_OnOneNode_WakesTheLeaseHolderOnAnother()
    {
        using var file = new SharedDatabaseFile();
        var (a, b, onA) = await TwoNodesAsync(file.Path);
        await using (a)
        await using (b)
        {
            // A started first and holds the lease; a change logged on B wakes only B, which finds the lease taken.
            var refused = b.NextRunnerIdleAsync("crm");
            await b.Bus.LogChangeAsync(SampleTypes.NewUser(1, "u1"), TaskType.CreateObject, Token);
            await refused;
            Assert.Empty(onA.Calls);

            await b.Bus.RequestProcessingAsync("crm", TaskDirection.Outgoing, Token);

            await onA.WaitForCallsAsync(1);
        }
    }
}
