using System.Globalization;
using IntegrationBus.Diagnostics;
using IntegrationBus.Management;
using IntegrationBus.Processing;
using IntegrationBus.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace IntegrationBus;

/// <summary>
/// Supervises the bus's loops: one runner per connector and direction (per partition of a split outgoing queue), the listener for other nodes' notifications,
/// the settings poll (the fallback when a notification is missed) and the retention schedule; producer-only
/// (<see cref="IntegrationBusOptions.ProducerOnly"/>), the listener and the settings poll alone.
/// </summary>
internal sealed class IntegrationBusHostedService(
    BusStartup startup,
    ConnectorRegistry connectors,
    ObjectTypeRegistry types,
    TaskStore store,
    SettingsState settings,
    NodeChannel channel,
    BusNode node,
    IncomingOrigin origin,
    IntegrationBusManagement management,
    ResyncWorker resyncs,
    SynchronousCalls synchronousCalls,
    QueueMonitor monitor,
    BusMetrics metrics,
    IInternalDataHandler? handler,
    IntegrationBusOptions options,
    TimeProvider time,
    IHostApplicationLifetime? lifetime,
    ILoggerFactory loggerFactory) : BackgroundService
{
    private readonly ILogger _logger = loggerFactory.CreateLogger<IntegrationBusHostedService>();

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        // The schema, connectors and settings must be ready before the application starts logging changes.
        await startup.EnsureStartedAsync(cancellationToken).ConfigureAwait(false);
        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);

        // Synchronous connector calls started from synchronous save hooks finish before the bus is gone.
        if (synchronousCalls.Count == 0)
        {
            return;
        }

        HostingLog.SynchronousCallsWaiting(_logger, options.ShutdownTimeout, synchronousCalls.Count);
        using var timeout = new CancellationTokenSource(options.ShutdownTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            await synchronousCalls.WhenAllAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (linked.IsCancellationRequested)
        {
            HostingLog.SynchronousCallsUnfinished(_logger, synchronousCalls.Count);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Once the application begins to stop, no runner starts and running ones wind down (their tasks stay queued).
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, lifetime?.ApplicationStopping ?? CancellationToken.None);
        if (stopping.IsCancellationRequested)
        {
            return;
        }

        await Task.WhenAll(StartLoops(stopping.Token)).ConfigureAwait(false);
    }

    private List<Task> StartLoops(CancellationToken stoppingToken)
    {
        var backoff = new RetryBackoff(options.RetryDelay, options.MaxRetryDelay, Random.Shared.NextDouble);
        var runnerLogger = loggerFactory.CreateLogger<QueueRunner>();
        var context = new RunnerContext(store, settings, options, time, backoff, node.Id, runnerLogger, metrics, loggerFactory.CreateLogger(RunnerContext.IdleCategory));
        var loops = new List<Task>((2 * connectors.Count) + 4)
        {
            channel.ListenAsync(stoppingToken),
            RepeatAsync(options.SweepInterval, settings.RefreshAsync, exception => HostingLog.SettingsRefreshFailed(_logger, exception), stoppingToken),
            RefreshQueueFiguresAsync(stoppingToken),
        };
        if (options.ProducerOnly)
        {
            // An external writer: it keeps its settings current, and the application's nodes run the queues and retention.
            HostingLog.ProducerOnly(_logger, connectors.Count);
            return loops;
        }

        loops.Add(resyncs.RunAsync(stoppingToken));
        loops.Add(RepeatAsync(options.RetentionInterval, management.ApplyRetentionAsync, exception => HostingLog.RetentionFailed(_logger, options.RetentionInterval, exception), stoppingToken));
        foreach (var connector in connectors.All)
        {
            if (connector.PartitionsIgnored)
            {
                HostingLog.PartitionsIgnored(_logger, connector.Name, connector.Options.Partitions);
            }

            // One breaker per connector and node: every partition's runner counts into it and honours it.
            var breaker = connector.Options.CircuitBreaker.Enabled
                ? new ConnectorCircuitBreaker(connector.Name, connector.Options.CircuitBreaker, store.Configuration, time, runnerLogger)
                : null;
            foreach (var partition in connector.OutgoingPartitions)
            {
                partition.Breaker = breaker;
                var outgoing = new OutgoingProcessor(connector, types, store.IdMap, time, backoff, runnerLogger);
                loops.Add(RunPartitionAsync(new QueueRunner(partition, outgoing, context), partition.PartitionKey, stoppingToken));
            }

            var incoming = new IncomingProcessor(connector, types, handler, origin, time, backoff, runnerLogger);
            loops.Add(new QueueRunner(connector.Incoming, incoming, context).RunAsync(stoppingToken));
        }

        return loops;
    }

    /// <summary>
    /// Runs a runner; a partition's runner in a logging scope that names the partition (<c>QueuePartition</c>,
    /// <c>"2 of 6"</c>), so its messages (lease taken, yielded, lost) tell the partitions of one connector apart.
    /// </summary>
    private Task RunPartitionAsync(QueueRunner runner, QueueKey partition, CancellationToken stoppingToken)
    {
        if (!partition.IsPartition)
        {
            return runner.RunAsync(stoppingToken);
        }

        using (_logger.BeginScope(new KeyValuePair<string, object>[] { new("QueuePartition", string.Create(CultureInfo.InvariantCulture, $"{partition.Partition} of {partition.Partitions}")) }))
        {
            // The scope flows with the runner's execution context into everything it awaits.
            return runner.RunAsync(stoppingToken);
        }
    }

    /// <summary>
    /// Reads the queues' figures once per interval while a metrics listener collects them, and when a collection found
    /// them stale; never more than once per interval, and never while nobody listens.
    /// </summary>
    private async Task RefreshQueueFiguresAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var requested = await monitor.RefreshRequested.WaitAsync(options.QueueFiguresInterval, time, stoppingToken).ConfigureAwait(false);
                if (!requested && !metrics.QueueFiguresObserved)
                {
                    continue;
                }

                try
                {
                    await monitor.GetAsync(options.QueueFiguresInterval, stoppingToken).ConfigureAwait(false);
                }
                catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
                {
                    DiagnosticsLog.QueueFiguresFailed(_logger, exception);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping is not a failure.
        }
    }

    private async Task RepeatAsync(TimeSpan period, Func<CancellationToken, Task> action, Action<Exception> onFailure, CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(period, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    await action(stoppingToken).ConfigureAwait(false);
                }
                catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
                {
                    onFailure(exception);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping is not a failure.
        }
    }
}
