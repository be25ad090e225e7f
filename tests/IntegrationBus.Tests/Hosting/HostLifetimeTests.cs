using IntegrationBus.Diagnostics;
using IntegrationBus.Sqlite;
using IntegrationBus.TestKit;
using IntegrationBus.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

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

    [Fact]
    public async Task Host_Stopping_BusLoopsEndBeforeTheHostStopsTheBusAndNoRunnerStartsAfter()
    {
        var signals = new LogSignals();
        using var file = new SharedDatabaseFile();
        var path = file.Path;
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(signals);
        builder.Services.AddIntegrationBus(bus => bus
            .UseSqlite($"Data Source={path}")
            .AddConnector(new RecordingConnector("print", s => s.AllObjects(SubscriptionMode.AsyncSimple))));

        // Registered after the bus, so the host stops it first (as it would a web server draining its requests).
        var drain = new DrainFirst();
        builder.Services.AddHostedService(_ => drain);
        using var host = builder.Build();
        drain.Bus = host.Services.GetServices<IHostedService>().OfType<BackgroundService>().Single();
        int? seenWhenStopping = null;
        host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.Register(() => seenWhenStopping = signals.Seen.Count);

        await host.StartAsync(TestContext.Current.CancellationToken);
        await host.StopAsync(TestContext.Current.CancellationToken);

        Assert.True(drain.BusLoopsEndedFirst, "The bus's runners kept running after the application began to stop.");
        Assert.NotNull(seenWhenStopping);
        Assert.DoesNotContain(signals.Seen.Skip(seenWhenStopping.Value), e => e.EventId == EventIds.RunnerStarted);
    }

    private sealed class DrainFirst : IHostedService
    {
        public BackgroundService? Bus { get; set; }

        public bool BusLoopsEndedFirst { get; private set; }

        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public async Task StopAsync(CancellationToken cancellationToken)
        {
            var loops = Bus!.ExecuteTask!;
            await loops.WaitAsync(TimeSpan.FromSeconds(10), cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            BusLoopsEndedFirst = loops.IsCompleted;
        }
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
