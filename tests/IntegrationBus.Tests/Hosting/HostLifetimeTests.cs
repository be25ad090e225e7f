using IntegrationBus.Diagnostics;
using IntegrationBus.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace IntegrationBus.Tests.Hosting;

/// <summary>What happens when the application stops while the bus's runners would start.</summary>
public sealed class HostLifetimeTests
{
    [Fact]
    public async Task ExecuteAsync_ApplicationAlreadyStopping_NoRunnerStarts()
    {
        using var lifetime = new StoppingLifetime();
        await using var bus = await TestBus.StartAsync(
            [new RecordingConnector("print", s => s.AllObjects(SubscriptionMode.AsyncSimple))],
            start: false,
            services: s => s.AddSingleton<IHostApplicationLifetime>(lifetime));
        await bus.EnsureStartedAsync();
        lifetime.StopApplication();

        var hosted = (BackgroundService)bus.Services.GetServices<IHostedService>().Single();
        await hosted.StartAsync(TestContext.Current.CancellationToken);

        // The runner loops end at once (nothing to supervise), before anyone stops the bus.
        await hosted.ExecuteTask!.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        await hosted.StopAsync(TestContext.Current.CancellationToken);

        Assert.DoesNotContain(bus.Signals.Seen, e => e.EventId == EventIds.RunnerStarted);
    }

    [Fact]
    public async Task ApplicationStopping_WhileRunnersRun_TheyStopBeforeTheHostStopsTheBus()
    {
        using var lifetime = new StoppingLifetime();
        await using var bus = await TestBus.StartAsync(
            [new RecordingConnector("print", s => s.AllObjects(SubscriptionMode.AsyncSimple))],
            services: s => s.AddSingleton<IHostApplicationLifetime>(lifetime));
        var stopped = bus.Signals.NextAsync(EventIds.RunnerStopped, s => Equals(s.GetValueOrDefault("ConnectorName"), "print"));

        lifetime.StopApplication();

        await stopped;
    }

    private sealed class StoppingLifetime : IHostApplicationLifetime, IDisposable
    {
        private readonly CancellationTokenSource _stopping = new();

        public CancellationToken ApplicationStarted => CancellationToken.None;

        public CancellationToken ApplicationStopping => _stopping.Token;

        public CancellationToken ApplicationStopped => CancellationToken.None;

        public void StopApplication() => _stopping.Cancel();

        public void Dispose() => _stopping.Dispose();
    }
}
