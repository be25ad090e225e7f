using IntegrationBus.Sqlite;
using IntegrationBus.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationBus.Tests.Hosting;

public sealed class BusStartupTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task EnsureStartedAsync_FirstCallerCancelled_StartGoesOnForTheOthers()
    {
        var crm = new RecordingConnector("crm", s => s.Objects("cms.user", SubscriptionMode.AsyncSimple));
        ControlledStore? store = null;
        await using var bus = await TestBus.StartAsync(
            [crm], b => b.UseStore(sp => store = new ControlledStore(sp.GetRequiredService<SqliteTaskStore>()) { InitializeGate = new(TaskCreationOptions.RunContinuationsAsynchronously) }), start: false);

        using var impatient = new CancellationTokenSource();
        var first = bus.Bus.LogChangeAsync(SampleTypes.NewUser(1, "first"), TaskType.CreateObject, impatient.Token).AsTask();
        await impatient.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);

        var second = bus.Bus.LogChangeAsync(SampleTypes.NewUser(2, "second"), TaskType.CreateObject, Token).AsTask();
        store!.InitializeGate!.SetResult();
        await second.WaitAsync(TimeSpan.FromSeconds(30), Token);

        Assert.Equal(1, store.InitializeCalls);
        Assert.Equal("second", Assert.Single(await bus.ListAsync("crm")).Task.ObjectCodeName);
    }
}
