using System.Diagnostics.Metrics;
using IntegrationBus.Diagnostics;
using IntegrationBus.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationBus.Tests.Diagnostics;

/// <summary>The bus's meter counts what happened, and its observable queue figures follow the store.</summary>
public sealed class MetricsTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static RecordingConnector Crm() => new("crm", s => s.Objects("cms.user", SubscriptionMode.AsyncSimple));

    [Fact]
    public async Task RunAsync_ThreeOkOneErrorAndSkipOneError_CountsExactlyThose()
    {
        var crm = Crm();
        crm.Behaviour = task => task.Object.CodeName switch
        {
            "skip" => TaskResult.ErrorAndSkip("bad e-mail"),
            "error" => TaskResult.Error("CRM down"),
            _ => TaskResult.Ok,
        };
        await using var bus = await TestBus.StartAsync([crm], start: false, services: s => s.AddMetrics());
        using var metrics = new MetricCollector(bus.Services.GetRequiredService<IMeterFactory>());
        await bus.StartHostAsync();
        var waiting = bus.NextRunnerWaitAsync("crm");

        await using (var scope = bus.Bus.BeginScope())
        {
            foreach (var (id, name) in new[] { (1L, "ok1"), (2L, "skip"), (3L, "ok2"), (4L, "ok3"), (5L, "error") })
            {
                await scope.LogChangeAsync(SampleTypes.NewUser(id, name), TaskType.CreateObject, Token);
            }

            await scope.CompleteAsync(Token);
        }

        await waiting;

        Assert.Equal(5, metrics.Sum("integrationbus.task.logged", ("connector", "crm"), ("direction", "outgoing")));
        Assert.Equal(5, metrics.Sum("messaging.client.sent.messages", ("messaging.destination.name", "crm/outgoing")));
        Assert.Equal(3, metrics.Sum("integrationbus.task.processed", ("connector", "crm"), ("result", "Ok")));
        Assert.Equal(1, metrics.Sum("integrationbus.task.processed", ("connector", "crm"), ("result", "Error")));
        Assert.Equal(1, metrics.Sum("integrationbus.task.processed", ("connector", "crm"), ("result", "ErrorAndSkip")));
        Assert.Equal(0, metrics.Sum("integrationbus.task.processed", ("connector", "crm"), ("result", "SkipNow")));
        Assert.Equal(5, metrics.Sum("messaging.client.consumed.messages", ("messaging.destination.name", "crm/outgoing"), ("messaging.operation.name", "process")));
        Assert.Equal(0, metrics.Sum("integrationbus.task.retried"));
        Assert.Equal(1, metrics.Sum("integrationbus.lease.changed", ("connector", "crm"), ("direction", "outgoing"), ("change", "taken")));
    }

    [Fact]
    public async Task QueueLag_GrowsWhileTheConnectorIsDownAndIsZeroAfterItDrains()
    {
        var crm = Crm();
        var down = true;
        crm.Behaviour = _ => down ? TaskResult.Error("CRM down") : TaskResult.Ok;
        await using var bus = await TestBus.StartAsync([crm], start: false, services: s => s.AddMetrics(),
            configure: b => b.Configure(o => o.RetryDelay = o.MaxRetryDelay = TimeSpan.FromMinutes(10)));
        using var metrics = new MetricCollector(bus.Services.GetRequiredService<IMeterFactory>());
        await bus.StartHostAsync();
        var interval = bus.Options.QueueFiguresInterval;

        var waiting = bus.NextRunnerIdleAsync("crm");
        await bus.Bus.LogChangeAsync(SampleTypes.NewUser(1, "u1"), TaskType.CreateObject, Token);
        await waiting;
        Assert.Equal(0, await ReadAsync(bus, metrics, "integrationbus.queue.lag"));
        Assert.Equal(1, metrics.Observe("integrationbus.queue.depth", "crm"));
        Assert.Equal(1, metrics.Observe("integrationbus.queue.blocked", "crm"));

        // Each advance wakes the runner for a pass (the retry is not due yet); it is awaited, so the next advance never
        // lands inside it: a pass that took its lease before the clock jumped would find the lease run out and wait.
        waiting = bus.NextRunnerIdleAsync("crm");
        bus.Time.Advance(TimeSpan.FromMinutes(2));
        await waiting;
        Assert.Equal(120, await ReadAsync(bus, metrics, "integrationbus.queue.lag"));
        waiting = bus.NextRunnerIdleAsync("crm");
        bus.Time.Advance(TimeSpan.FromMinutes(3));
        await waiting;
        Assert.Equal(300, await ReadAsync(bus, metrics, "integrationbus.queue.lag"));

        down = false;
        var drained = bus.NextRunnerIdleAsync("crm");
        bus.Time.Advance(TimeSpan.FromMinutes(10));
        await crm.WaitForCallsAsync(2);
        await drained;
        bus.Time.Advance(interval);
        Assert.Equal(0, await ReadAsync(bus, metrics, "integrationbus.queue.lag"));
        Assert.Equal(0, metrics.Observe("integrationbus.queue.depth", "crm"));
        Assert.Equal(0, metrics.Observe("integrationbus.queue.blocked", "crm"));
    }

    /// <summary>
    /// Collects the figures as of now: unless the bus's loop read them at this (fake) moment already, a collection finds
    /// them stale and asks for a refresh, which is awaited before collecting again.
    /// </summary>
    private static async Task<double?> ReadAsync(TestBus bus, MetricCollector metrics, string instrument)
    {
        var refreshed = bus.Signals.NextAsync(EventIds.QueueFiguresRefreshed, _ => true);
        if (bus.Services.GetRequiredService<QueueMonitor>().Current?.ReadAt != bus.Time.GetUtcNow())
        {
            metrics.Observe(instrument, "crm");
            await refreshed;
        }

        return metrics.Observe(instrument, "crm");
    }
}
