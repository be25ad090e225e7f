using IntegrationBus.Connectors;
using IntegrationBus.Hosting;
using IntegrationBus.Model;
using IntegrationBus.Storage;
using Microsoft.Extensions.Logging;

namespace IntegrationBus.Processing;

/// <summary>
/// The runner of one queue (connector and direction): waits for a wake-up, a due retry or the sweep; holds the
/// cluster-wide lease; reads tasks oldest first in batches; lets the processor handle each; records each batch.
/// </summary>
internal sealed class QueueRunner
{
    private readonly BusRuntime _runtime;
    private readonly int _index;
    private readonly Connector _connector;
    private readonly ITaskProcessor _processor;
    private readonly AsyncSignal _signal;
    private readonly RetryBackoff _backoff;
    private readonly ILogger _logger;
    private DateTimeOffset _leaseValidUntil = DateTimeOffset.MinValue;
    private bool _leaseRefusedLogged;
    private DateTimeOffset? _dueAt;
    private int _consecutiveSkippingRuns;
    private int _consecutiveFailures;

    public QueueRunner(BusRuntime runtime, int index, ITaskProcessor processor, RetryBackoff backoff, ILogger logger)
    {
        _runtime = runtime;
        _index = index;
        _connector = runtime.Connectors.Connectors[index];
        _processor = processor;
        _signal = runtime.GetSignal(index, processor.Direction);
        _backoff = backoff;
        _logger = logger;
    }

    private TimeProvider Time => _runtime.TimeProvider;

    private TaskDirection Direction => _processor.Direction;

    public async Task RunAsync(CancellationToken stoppingToken)
    {
        Log.RunnerStarted(_logger, _connector.Name, Direction);
        try
        {
            // The first pass runs at once: tasks may be waiting from before the start.
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await RunOnceAsync(stoppingToken).ConfigureAwait(false);
                    _consecutiveFailures = 0;
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    break;
                }
                catch (Exception exception)
                {
                    // Transient store errors (SQLite busy, a dropped connection): back off and try again.
                    var delay = _backoff.GetDelay(++_consecutiveFailures);
                    Log.RunnerIterationFailed(_logger, _connector.Name, Direction, delay, exception);
                    _dueAt = Time.GetUtcNow() + delay;
                }

                var hook = _runtime.RunnerWaiting;
                await _signal.WaitAsync(NextWait(), Time, stoppingToken, hook is null ? null : delay => hook(_connector.Name, Direction, delay)).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping is not a failure.
        }
        finally
        {
            await ReleaseLeaseAsync().ConfigureAwait(false);
            Log.RunnerStopped(_logger, _connector.Name, Direction);
        }
    }

    private TimeSpan NextWait()
    {
        var now = Time.GetUtcNow();
        var wait = _runtime.Options.SweepInterval;
        if (_dueAt is { } due)
        {
            wait = due <= now ? TimeSpan.Zero : TimeSpan.FromTicks(Math.Min(wait.Ticks, (due - now).Ticks));
        }

        return wait;
    }

    private bool CanRun() => _processor.IsEnabled(_runtime.Settings) && _runtime.Connectors.IsEnabled(_index);

    private async Task RunOnceAsync(CancellationToken stoppingToken)
    {
        _dueAt = null;
        if (!CanRun())
        {
            return;
        }

        if (!await EnsureLeaseAsync(stoppingToken).ConfigureAwait(false))
        {
            _dueAt = Time.GetUtcNow() + (_runtime.Options.LeaseDuration / 4);
            return;
        }

        _processor.BeginRun();
        var after = 0L;
        var skipped = false;
        var stop = false;
        while (!stop)
        {
            var batch = await _runtime.Store.FetchAsync(_connector.Name, Direction, after, _runtime.Options.BatchSize, stoppingToken).ConfigureAwait(false);
            if (batch.Count == 0)
            {
                break;
            }

            var outcomes = new List<TaskOutcome>(batch.Count);
            try
            {
                foreach (var task in batch)
                {
                    if (stoppingToken.IsCancellationRequested || !CanRun())
                    {
                        stop = true;
                        break;
                    }

                    if (task.Status == SynchronizationStatus.Error && (task.NextAttemptAt is null || task.NextAttemptAt > Time.GetUtcNow()))
                    {
                        // The head of the queue waits for its retry (or an operator); later tasks wait behind it so order holds.
                        Log.RunWaitingForRetry(_logger, _connector.Name, Direction, task.Id, task.NextAttemptAt);
                        _dueAt = task.NextAttemptAt;
                        stop = true;
                        break;
                    }

                    var decision = await _processor.ProcessAsync(task, stoppingToken).ConfigureAwait(false);
                    after = task.Id;
                    if (decision.Outcome is { } outcome)
                    {
                        outcomes.Add(outcome);
                    }

                    skipped |= decision.Skipped;
                    if (decision.StopRun)
                    {
                        _dueAt = decision.DueAt;
                        stop = true;
                        break;
                    }
                }
            }
            finally
            {
                await RecordAsync(outcomes, stoppingToken).ConfigureAwait(false);
            }

            stop |= batch.Count < _runtime.Options.BatchSize;
            if (!stop)
            {
                await EnsureLeaseAsync(stoppingToken).ConfigureAwait(false);
            }
        }

        if (skipped && _dueAt is null)
        {
            // Skipped tasks come back in the next run; without new traffic the retry timer makes that run.
            _dueAt = Time.GetUtcNow() + _backoff.GetDelay(++_consecutiveSkippingRuns);
        }
        else if (!skipped)
        {
            _consecutiveSkippingRuns = 0;
        }
    }

    private async Task RecordAsync(List<TaskOutcome> outcomes, CancellationToken stoppingToken)
    {
        if (outcomes.Count == 0)
        {
            return;
        }

        // Results of work already done are recorded even while stopping, within the shutdown timeout.
        using var timeout = new CancellationTokenSource(_runtime.Options.ShutdownTimeout, Time);
        var token = stoppingToken.IsCancellationRequested ? timeout.Token : stoppingToken;
        await _runtime.Store.RecordAsync(_connector.Name, Direction, outcomes, token).ConfigureAwait(false);
    }

    private async Task<bool> EnsureLeaseAsync(CancellationToken stoppingToken)
    {
        var now = Time.GetUtcNow();
        var duration = _runtime.Options.LeaseDuration;
        if (_leaseValidUntil - now > duration / 2)
        {
            return true;
        }

        var held = _leaseValidUntil > now;
        if (await _runtime.Store.TryAcquireLeaseAsync(_connector.Name, Direction, _runtime.NodeId, now, duration, stoppingToken).ConfigureAwait(false))
        {
            if (!held)
            {
                Log.LeaseTaken(_logger, _connector.Name, Direction, _runtime.NodeId);
            }

            _leaseValidUntil = now + duration;
            _leaseRefusedLogged = false;
            return true;
        }

        if (!_leaseRefusedLogged)
        {
            Log.LeaseHeldElsewhere(_logger, _connector.Name, Direction);
            _leaseRefusedLogged = true;
        }

        _leaseValidUntil = DateTimeOffset.MinValue;
        return false;
    }

    private async Task ReleaseLeaseAsync()
    {
        if (_leaseValidUntil <= Time.GetUtcNow())
        {
            return;
        }

        try
        {
            using var timeout = new CancellationTokenSource(_runtime.Options.ShutdownTimeout, Time);
            await _runtime.Store.ReleaseLeaseAsync(_connector.Name, Direction, _runtime.NodeId, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            // The lease expires by itself; another node takes over then.
            Log.RunnerIterationFailed(_logger, _connector.Name, Direction, TimeSpan.Zero, exception);
        }

        _leaseValidUntil = DateTimeOffset.MinValue;
    }
}
