using IntegrationBus.Connectors;
using IntegrationBus.Hosting;
using IntegrationBus.Model;
using IntegrationBus.Storage;
using IntegrationBus.Translation;
using Microsoft.Extensions.Logging;

namespace IntegrationBus.Processing;

/// <summary>
/// The runner of one connector's outgoing queue: waits for a wake-up, a due retry or the sweep; holds the
/// cluster-wide lease; reads tasks oldest first in batches; hands each to the connector; records each batch's results.
/// </summary>
internal sealed class OutgoingRunner
{
    private const TaskDirection Direction = TaskDirection.Outgoing;
    private readonly BusRuntime _runtime;
    private readonly int _index;
    private readonly Connector _connector;
    private readonly ConnectorOptions _options;
    private readonly RetryBackoff _backoff;
    private readonly ILogger _logger;
    private DateTimeOffset _leaseValidUntil = DateTimeOffset.MinValue;
    private DateTimeOffset? _dueAt;
    private int _consecutiveSkippingRuns;
    private int _consecutiveFailures;

    public OutgoingRunner(BusRuntime runtime, int index, RetryBackoff backoff, ILogger logger)
    {
        _runtime = runtime;
        _index = index;
        _connector = runtime.Connectors.Connectors[index];
        _options = runtime.Connectors.Options[index];
        _backoff = backoff;
        _logger = logger;
    }

    private TimeProvider Time => _runtime.TimeProvider;

    public async Task RunAsync(CancellationToken stoppingToken)
    {
        Log.RunnerStarted(_logger, _connector.Name, Direction);
        var signal = _runtime.OutgoingSignals[_index];
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

                await signal.WaitAsync(NextWait(), Time, stoppingToken, _runtime.RunnerWaiting is { } hook ? delay => hook(_connector.Name, delay) : null).ConfigureAwait(false);
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

    private async Task RunOnceAsync(CancellationToken stoppingToken)
    {
        _dueAt = null;
        if (!_runtime.Settings.ShouldProcessOutgoing || !_runtime.Connectors.IsEnabled(_index))
        {
            return;
        }

        if (!await EnsureLeaseAsync(stoppingToken).ConfigureAwait(false))
        {
            _dueAt = Time.GetUtcNow() + (_runtime.Options.LeaseDuration / 4);
            return;
        }

        var translations = new TranslationCache(_runtime.Types);
        var after = 0L;
        var skipped = false;
        while (true)
        {
            var batch = await _runtime.Store.FetchAsync(_connector.Name, Direction, after, _runtime.Options.BatchSize, stoppingToken).ConfigureAwait(false);
            if (batch.Count == 0)
            {
                break;
            }

            var outcomes = new List<TaskOutcome>(batch.Count);
            var stop = false;
            try
            {
                foreach (var task in batch)
                {
                    if (stoppingToken.IsCancellationRequested || !_runtime.Settings.ShouldProcessOutgoing || !_runtime.Connectors.IsEnabled(_index))
                    {
                        stop = true;
                        break;
                    }

                    var now = Time.GetUtcNow();
                    if (task.Status == SynchronizationStatus.Error && task.NextAttemptAt > now)
                    {
                        // The head of the queue waits for its retry; later tasks wait behind it so order holds.
                        Log.RunWaitingForRetry(_logger, _connector.Name, Direction, task.Id, task.NextAttemptAt.Value);
                        _dueAt = task.NextAttemptAt;
                        stop = true;
                        break;
                    }

                    var (outcome, result) = await ProcessAsync(task, translations, stoppingToken).ConfigureAwait(false);
                    after = task.Id;
                    if (outcome is { } recorded)
                    {
                        outcomes.Add(recorded);
                    }

                    if (result == TaskResultKind.Error && outcome is { Park: false })
                    {
                        _dueAt = outcome.Value.NextAttemptAt;
                        stop = true;
                        break;
                    }

                    skipped |= result is TaskResultKind.ErrorAndSkip or TaskResultKind.SkipNow;
                }
            }
            finally
            {
                await RecordAsync(outcomes, stoppingToken).ConfigureAwait(false);
            }

            if (stop || batch.Count < _runtime.Options.BatchSize)
            {
                break;
            }

            await EnsureLeaseAsync(stoppingToken).ConfigureAwait(false);
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

    private async Task<(TaskOutcome? Outcome, TaskResultKind Result)> ProcessAsync(QueuedTask task, TranslationCache translations, CancellationToken stoppingToken)
    {
        ObjectSnapshot snapshot;
        try
        {
            snapshot = TaskPayload.Deserialize(task.Payload, _runtime.Types);
        }
        catch (TaskPayloadException exception)
        {
            // Retrying cannot repair a payload: park it and go on with the rest of the queue.
            Log.TaskPayloadUnreadable(_logger, task.Id, _connector.Name, Direction, exception.Message);
            return (new TaskOutcome(task.Id, TaskResultKind.Error, exception.Message, Time.GetUtcNow(), Park: true), TaskResultKind.Error);
        }

        var outgoing = new OutgoingTask(task.Id, task.Guid, task.TaskType, task.DataType, snapshot, task.CreatedAt, task.Attempts + 1, translations);
        TaskResult result;
        try
        {
            result = await _connector.InvokeOutgoingAsync(outgoing, stoppingToken).ConfigureAwait(false)
                ?? TaskResult.Error($"Connector '{_connector.Name}' returned no result.");
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception exception)
        {
            result = TaskResult.Error($"{exception.GetType().Name}: {exception.Message}");
        }

        return (ToOutcome(task, result), result.Kind);
    }

    private TaskOutcome? ToOutcome(QueuedTask task, TaskResult result)
    {
        var now = Time.GetUtcNow();
        var attempt = task.Attempts + 1;
        var park = _options.MaxAttempts is { } max && attempt >= max;
        switch (result.Kind)
        {
            case TaskResultKind.Ok:
                Log.TaskProcessed(_logger, _connector.Name, task.Id, Direction, result.Kind);
                return new TaskOutcome(task.Id, TaskResultKind.Ok, null, now);
            case TaskResultKind.SkipNow:
                Log.TaskSkipped(_logger, _connector.Name, task.Id, Direction, result.Message);
                return null;
            case TaskResultKind.ErrorAndSkip when !park:
                Log.TaskFailedAndSkipped(_logger, _connector.Name, task.Id, Direction, attempt, result.Message);
                return new TaskOutcome(task.Id, TaskResultKind.ErrorAndSkip, result.Message, now);
            case TaskResultKind.Error when !park:
                var next = now + _backoff.GetDelay(attempt);
                Log.TaskFailed(_logger, _connector.Name, task.Id, Direction, attempt, result.Message, next);
                return new TaskOutcome(task.Id, TaskResultKind.Error, result.Message, now, next);
            default:
                Log.TaskParked(_logger, _connector.Name, task.Id, Direction, attempt, result.Message);
                return new TaskOutcome(task.Id, result.Kind, result.Message, now, Park: true);
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
            return true;
        }

        if (held || _leaseValidUntil == DateTimeOffset.MinValue)
        {
            Log.LeaseHeldElsewhere(_logger, _connector.Name, Direction);
        }

        _leaseValidUntil = DateTimeOffset.MinValue.AddTicks(1);
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
