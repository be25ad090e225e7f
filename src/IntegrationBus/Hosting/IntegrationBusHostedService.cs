using IntegrationBus.Processing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace IntegrationBus.Hosting;

/// <summary>Supervises the runner loops: one per connector and direction, plus the settings refresh.</summary>
internal sealed class IntegrationBusHostedService(BusRuntime runtime, Incoming.IInternalDataHandler? handler, ILoggerFactory loggerFactory) : BackgroundService
{
    private readonly ILogger _logger = loggerFactory.CreateLogger<IntegrationBusHostedService>();

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        // The schema, connectors and settings must be ready before the application starts logging changes.
        await runtime.EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var backoff = new RetryBackoff(runtime.Options.RetryDelay, runtime.Options.MaxRetryDelay, Random.Shared.NextDouble);
        var runnerLogger = loggerFactory.CreateLogger<QueueRunner>();
        var loops = new List<Task>((2 * runtime.Connectors.Count) + 1) { RefreshSettingsAsync(stoppingToken) };
        for (var i = 0; i < runtime.Connectors.Count; i++)
        {
            loops.Add(new QueueRunner(runtime, i, new OutgoingProcessor(runtime, i, backoff, runnerLogger), backoff, runnerLogger).RunAsync(stoppingToken));
            loops.Add(new QueueRunner(runtime, i, new IncomingProcessor(runtime, i, handler, runnerLogger), backoff, runnerLogger).RunAsync(stoppingToken));
        }

        return Task.WhenAll(loops);
    }

    private async Task RefreshSettingsAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(runtime.Options.SweepInterval, runtime.TimeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    // Settings and connector switches changed on another node take effect here at the sweep.
                    await runtime.RefreshAsync(stoppingToken).ConfigureAwait(false);
                }
                catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
                {
                    Log.SettingsRefreshFailed(_logger, exception);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping is not a failure.
        }
    }
}
