using System.Diagnostics;
using IntegrationBus.Diagnostics;
using IntegrationBus.Storage;
using Microsoft.Extensions.Logging;

namespace IntegrationBus.Processing;

/// <summary>
/// The runner of one queue (connector and direction): waits for a wake-up, a due retry or the sweep; takes the
/// cluster-wide lease and keeps it alive while it runs; reads tasks oldest first in batches; lets the processor handle
/// each; records each batch under the lease's fencing token.
/// </summary>
internal sealed class QueueRunner(QueueRuntime queue, ITaskProcessor processor, RunnerContext context)
{
    /// <summary>How long a batch of slow calls goes on before what it did so far is recorded.</summary>
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(1);

    private readonly ILogger _logger = context.Logger;
    private DateTimeOffset? _dueAt;
    private DateTimeOffset? _skippedDueAt;
    private bool _leaseRefusedLogged;
    private int _consecutiveSkipNowRuns;
    private int _consecutiveFailures;
    private bool _singleQueueTasks;

    private TimeProvider Time => context.Time;

    private string Name => queue.Connector.Name;

    public async Task RunAsync(CancellationToken stoppingToken)
    {
        if (stoppingToken.IsCancellationRequested)
        {
            return;
        }

        // A runner's spans take their parent from the task's stored context, never from whatever span started the host.
        Activity.Current = null;
        Log.RunnerStarted(_logger, Name, queue.Direction);
        queue.RunnerState = RunnerState.Running;
        try
        {
            // The first pass runs at once: tasks may be waiting from before the start.
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await RunOnceAsync(stoppingToken).ConfigureAwait(false);
                    _consecutiveFailures = 0;
                    queue.ConsecutiveFailures = 0;
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    break;
                }
                catch (Exception exception)
                {
                    // Transient store errors (SQLite busy, a dropped connection): back off and try again.
                    var delay = context.Backoff.GetDelay(++_consecutiveFailures);
                    queue.ConsecutiveFailures = _consecutiveFailures;
                    Log.RunnerIterationFailed(_logger, Name, queue.Direction, delay, exception);
                    _dueAt = Time.GetUtcNow() + delay;
                }

                // The wait's timer is armed before the event is logged, so whoever reacts to the event (a test moving a
                // fake clock) cannot slip in between.
                var wait = NextWait();
                var waiting = queue.Signal.WaitAsync(wait, Time, stoppingToken);
                Log.RunnerWaiting(context.IdleLogger, Name, queue.Direction, wait);
                await waiting.ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping is not a failure.
        }
        finally
        {
            await LeaseKeeper.ReleaseAsync(queue, context).ConfigureAwait(false);
            queue.RunnerState = RunnerState.Stopped;
            Log.RunnerStopped(_logger, Name, queue.Direction);
        }
    }

    private TimeSpan NextWait()
    {
        var now = Time.GetUtcNow();
        var wait = context.Options.SweepInterval;
        foreach (var due in (ReadOnlySpan<DateTimeOffset?>)[_dueAt, _skippedDueAt])
        {
            if (due is { } at)
            {
                wait = at <= now ? TimeSpan.Zero : TimeSpan.FromTicks(Math.Min(wait.Ticks, (at - now).Ticks));
            }
        }

        return wait;
    }

    private bool CanRun() => processor.IsEnabled(context.Settings.Current) && queue.Connector.Enabled;

    private async Task RunOnceAsync(CancellationToken stoppingToken)
    {
        _dueAt = null;
        if (!CanRun())
        {
            return;
        }

        var now = Time.GetUtcNow();
        if (_skippedDueAt <= now)
        {
            // This run's fetch brings the skipped tasks back.
            _skippedDueAt = null;
        }

        if (queue.Breaker?.PausedUntil(now) is { } pausedUntil)
        {
            // The connector's circuit breaker is open: no lease, no fetch, no call until the break ends.
            _dueAt = pausedUntil;
            return;
        }

        var previousLease = queue.HeldLease;
        var keeper = await LeaseKeeper.TakeAsync(queue, context, stoppingToken).ConfigureAwait(false);
        if (keeper is null)
        {
            if (!_leaseRefusedLogged)
            {
                Log.LeaseHeldElsewhere(_logger, Name, queue.Direction);
                _leaseRefusedLogged = true;
            }

            _dueAt = now + (context.Options.LeaseDuration / 4);
            return;
        }

        _leaseRefusedLogged = false;
        if (queue.Breaker is { } breaker && previousLease?.Lease.Token != keeper.Lease.Token)
        {
            // The lease is taken anew: another node may have opened the breaker meanwhile, and this one honours it.
            await breaker.AdoptAsync(stoppingToken).ConfigureAwait(false);
        }

        bool skippedNow;
        await using (keeper.ConfigureAwait(false))
        {
            skippedNow = await RunBatchesAsync(keeper, stoppingToken).ConfigureAwait(false);
            if (keeper.IsLost && !stoppingToken.IsCancellationRequested)
            {
                // Another node may hold the queue now: look again once its lease could have lapsed.
                _dueAt = Time.GetUtcNow() + (context.Options.LeaseDuration / 4);
            }
        }

        if (keeper.YieldRequested && !keeper.IsLost && !stoppingToken.IsCancellationRequested)
        {
            // The store spreads queues across nodes: hand this one over, and come back only if nobody took it.
            Log.LeaseYielded(_logger, Name, queue.Direction, keeper.Lease.Token);
            context.Metrics.LeaseChanged(queue, "yielded");
            await LeaseKeeper.ReleaseAsync(queue, context).ConfigureAwait(false);
            _dueAt = Time.GetUtcNow() + context.Options.LeaseDuration;
        }

        if (skippedNow && _dueAt is null)
        {
            // SkipNow leaves tasks pending without a record; without new traffic the retry timer makes the next run.
            _dueAt = Time.GetUtcNow() + context.Backoff.GetDelay(++_consecutiveSkipNowRuns);
        }
        else if (!skippedNow)
        {
            _consecutiveSkipNowRuns = 0;
        }
    }

    /// <summary>Runs batches until the queue is empty, an error holds it, the lease is lost or the bus stops.</summary>
    /// <returns>Whether a task was left with SkipNow.</returns>
    private async Task<bool> RunBatchesAsync(LeaseKeeper keeper, CancellationToken stoppingToken)
    {
        processor.BeginRun();
        var options = queue.Connector.Options;
        var keyed = queue.Direction == TaskDirection.Outgoing && options.Ordering == Ordering.PerObject
            ? new KeyedRun(options.MaxDegreeOfParallelism, Time, _logger, Name, ProgressInterval)
            : null;
        var after = 0L;
        var skippedNow = false;
        var stop = false;
        var batchSize = queue.Direction == TaskDirection.Incoming ? context.Options.IncomingBatchSize : context.Options.BatchSize;
        var reader = new BatchReader(context.Store.Queue, Time);
        await using var dropReadAhead = reader.ConfigureAwait(false);
        while (!stop && !keeper.Token.IsCancellationRequested && !keeper.YieldRequested)
        {
            var fetch = new FetchRequest { Queue = queue.PartitionKey, AfterTaskId = after, Limit = batchSize, Now = Time.GetUtcNow(), Ordering = keyed is null ? Ordering.Connector : Ordering.PerObject };
            IReadOnlyList<QueuedTask> batch;
            try
            {
                var fetchStarted = Time.GetTimestamp();
                batch = await reader.ReadAsync(fetch, keeper.Token).ConfigureAwait(false);
                StoreOperation("fetch", fetchStarted);
            }
            catch (OperationCanceledException) when (keeper.IsLost && !stoppingToken.IsCancellationRequested)
            {
                break;
            }

            if (batch.Count == 0)
            {
                break;
            }

            var outcomes = new List<TaskOutcome>(batch.Count);
            _singleQueueTasks = batch.All(t => t.SynchronizationCount == 1);
            var lastRecordAt = Time.GetUtcNow();
            try
            {
                if (keyed is not null)
                {
                    stop |= await RunKeyedAsync(keyed, batch, outcomes, keeper, stoppingToken).ConfigureAwait(false);
                    after = batch[^1].Id;
                    skippedNow |= keyed.SkippedNow;
                }
                else
                {
                    await processor.PrepareBatchAsync(Processable(batch), keeper.Token).ConfigureAwait(false);
                    foreach (var task in batch)
                    {
                        if (keeper.Token.IsCancellationRequested || !CanRun())
                        {
                            stop = true;
                            break;
                        }

                        if (task.Status == SynchronizationStatus.Error && (task.NextAttemptAt is null || task.NextAttemptAt > Time.GetUtcNow()))
                        {
                            // The head of the queue waits for its retry (or an operator); later tasks wait behind it so order holds.
                            Log.RunWaitingForRetry(_logger, Name, queue.Direction, task.Id, task.NextAttemptAt);
                            _dueAt = task.NextAttemptAt;
                            stop = true;
                            break;
                        }

                        var decision = await ProcessAsync(task, keeper.Token).ConfigureAwait(false);
                        after = task.Id;
                        if (decision.Outcome is { } outcome)
                        {
                            outcomes.Add(outcome);
                            NoteSkipped(outcome);
                        }

                        skippedNow |= decision.SkippedNow;
                        if (decision.StopRun)
                        {
                            _dueAt = decision.DueAt;
                            stop = true;
                            break;
                        }

                        if (outcomes.Count > 0 && Time.GetUtcNow() - lastRecordAt >= ProgressInterval)
                        {
                            // Slow calls: what is done is made durable as it goes, so a crash repeats little.
                            if (!await RecordAsync(outcomes, keeper, stoppingToken).ConfigureAwait(false))
                            {
                                stop = true;
                                break;
                            }

                            outcomes.Clear();
                            lastRecordAt = Time.GetUtcNow();
                        }
                    }
                }
            }
            catch (OperationCanceledException) when (keeper.IsLost && !stoppingToken.IsCancellationRequested)
            {
                // The lease is gone: no further call; what was done is offered to the store, which refuses a stale token.
                stop = true;
            }
            finally
            {
                stop |= !await RecordAsync(outcomes, keeper, stoppingToken).ConfigureAwait(false);
            }

            stop |= batch.Count < batchSize;
        }

        return skippedNow;
    }

    /// <summary>Processes one batch of a queue ordered per key; its outcomes land in <paramref name="outcomes"/> for the batch's record.</summary>
    /// <returns>Whether the run must stop (the circuit breaker is open, the connector was disabled).</returns>
    private async Task<bool> RunKeyedAsync(KeyedRun keyed, IReadOnlyList<QueuedTask> batch, List<TaskOutcome> outcomes, LeaseKeeper keeper, CancellationToken stoppingToken)
    {
        await processor.PrepareBatchAsync(keyed.Plan(batch, Time.GetUtcNow()), keeper.Token).ConfigureAwait(false);
        try
        {
            await keyed.RunAsync(ProcessAsync, CanRun, done => RecordNotedAsync(done, keeper, stoppingToken), keeper.Token).ConfigureAwait(false);
        }
        finally
        {
            var done = keyed.TakeOutcomes();
            done.ForEach(NoteSkipped);
            outcomes.AddRange(done);
            _dueAt = keyed.DueAt is { } due && (_dueAt is null || due < _dueAt) ? due : _dueAt;
        }

        return keyed.Stopped;
    }

    /// <summary>Lets the processor handle one task inside its <c>process</c> span, and counts the result.</summary>
    private async Task<TaskDecision> ProcessAsync(QueuedTask task, CancellationToken runToken)
    {
        var activity = BusTracing.StartProcess(queue, task);
        var started = Time.GetTimestamp();
        TaskDecision decision;
        try
        {
            decision = await processor.ProcessAsync(task, runToken).ConfigureAwait(false);
        }
        catch
        {
            // The run was cancelled (the bus stops, the lease is lost): no result, the task stays queued.
            activity?.Dispose();
            throw;
        }

        BusTracing.Complete(activity, decision);
        if (!decision.Paused)
        {
            context.Metrics.Processed(queue, task, decision, Time.GetElapsedTime(started));
        }

        return decision;
    }

    private void StoreOperation(string operation, long started)
    {
        if (context.Metrics.StoreDuration.Enabled)
        {
            context.Metrics.StoreOperation(operation, Time.GetElapsedTime(started));
        }
    }

    /// <summary>The tasks of a batch the loop below processes unless it stops early: those before a head that waits for its retry.</summary>
    private List<QueuedTask> Processable(IReadOnlyList<QueuedTask> batch)
    {
        var now = Time.GetUtcNow();
        var processable = new List<QueuedTask>(batch.Count);
        foreach (var task in batch)
        {
            if (task.Status == SynchronizationStatus.Error && (task.NextAttemptAt is null || task.NextAttemptAt > now))
            {
                break;
            }

            processable.Add(task);
        }

        return processable;
    }

    private Task<bool> RecordNotedAsync(List<TaskOutcome> outcomes, LeaseKeeper keeper, CancellationToken stoppingToken)
    {
        outcomes.ForEach(NoteSkipped);
        return RecordAsync(outcomes, keeper, stoppingToken);
    }

    private void NoteSkipped(TaskOutcome outcome)
    {
        if (outcome is { Result: TaskResultKind.ErrorAndSkip, Park: false, NextAttemptAt: { } retryAt } && (_skippedDueAt is null || retryAt < _skippedDueAt))
        {
            _skippedDueAt = retryAt;
        }
    }

    /// <returns><see langword="false"/> when the store refused the results (the lease is stale): the run must stop.</returns>
    private async Task<bool> RecordAsync(List<TaskOutcome> outcomes, LeaseKeeper keeper, CancellationToken stoppingToken)
    {
        if (outcomes.Count == 0)
        {
            return true;
        }

        // Results of work already done are recorded even while (or once) the bus stops, within the shutdown timeout.
        using var timeout = new CancellationTokenSource(Timeout.InfiniteTimeSpan, Time);
        using var stopping = stoppingToken.Register(() => timeout.CancelAfter(context.Options.ShutdownTimeout));
        var request = new RecordRequest { Lease = keeper.Lease, Outcomes = outcomes, KeepHistory = context.Settings.Current.HistoryEnabled, SingleQueueTasks = _singleQueueTasks };
        var started = Time.GetTimestamp();
        var recorded = await context.Store.Queue.RecordAsync(request, timeout.Token).ConfigureAwait(false);
        StoreOperation("record", started);
        if (recorded)
        {
            return true;
        }

        Log.ResultsRefused(_logger, Name, queue.Direction, outcomes.Count, request.Lease.Token);
        keeper.MarkLost("the store refused results under its token");
        return false;
    }
}
