using IntegrationBus.Storage;
using Microsoft.Extensions.Logging;

namespace IntegrationBus.Processing;

/// <summary>
/// One run of an outgoing queue ordered per key (<see cref="Ordering.PerObject"/>): each fetched batch is split by key;
/// up to <see cref="ConnectorOptions.MaxDegreeOfParallelism"/> workers take one key at a time and deliver its tasks in
/// ID order. An Error on a key's head, or a parked task, holds that key for the rest of the run (later batches skip it);
/// a refused call of the circuit breaker (or a disabled connector) stops every worker after its current call.
/// </summary>
/// <remarks>
/// The store leaves out the tasks of a key blocked by a parked task (<see cref="FetchRequest.Ordering"/>); a key whose
/// head waits for its retry is held here, and the queue is due again at the earliest such retry. Outcomes are
/// collected for the runner, which records them under the lease, also while slow calls go on.
/// </remarks>
internal sealed class KeyedRun(int maxDegreeOfParallelism, TimeProvider time, ILogger logger, string name, TimeSpan progressInterval)
{
    private readonly Lock _gate = new();
    private readonly HashSet<string> _held = new(StringComparer.Ordinal);
    private readonly List<KeyValuePair<string, List<QueuedTask>>> _groups = [];
    private List<TaskOutcome> _outcomes = [];
    private volatile bool _stopped;
    private int _next;

    /// <summary>Gets when the run should go on: the earliest retry of a held key or the end of a circuit breaker's break.</summary>
    public DateTimeOffset? DueAt { get; private set; }

    /// <summary>Gets whether a task was left with SkipNow.</summary>
    public bool SkippedNow { get; private set; }

    /// <summary>Gets whether the run must stop (the breaker refused a call, the connector was disabled, a call failed the run).</summary>
    public bool Stopped => _stopped;

    /// <summary>Gets the key of a task: its stored key, or the default key for a task logged before its connector ordered per object.</summary>
    public static string KeyOf(QueuedTask task) => task.OrderingKey ?? OrderingKeys.Default(task.ObjectType, task.ObjectId, task.ObjectGuid);

    /// <summary>Splits a batch by key, leaving out held keys and holding the keys whose head waits for its retry.</summary>
    /// <returns>The tasks that may be processed (for <see cref="ITaskProcessor.PrepareBatchAsync"/>).</returns>
    public List<QueuedTask> Plan(IReadOnlyList<QueuedTask> batch, DateTimeOffset now)
    {
        _groups.Clear();
        _next = -1;
        var byKey = new Dictionary<string, List<QueuedTask>>(StringComparer.Ordinal);
        var processable = new List<QueuedTask>(batch.Count);
        foreach (var task in batch)
        {
            var key = KeyOf(task);
            if (_held.Contains(key))
            {
                continue;
            }

            if (task.Status == SynchronizationStatus.Error && (task.NextAttemptAt is null || task.NextAttemptAt > now))
            {
                // The key's head waits for its retry (or an operator): its later tasks wait behind it, other keys go on.
                Hold(key, task, task.NextAttemptAt);
                continue;
            }

            if (!byKey.TryGetValue(key, out var tasks))
            {
                tasks = [];
                byKey.Add(key, tasks);
                _groups.Add(new(key, tasks));
            }

            tasks.Add(task);
            processable.Add(task);
        }

        return processable;
    }

    /// <summary>Delivers the planned keys in parallel; every key's tasks in order, one at a time.</summary>
    /// <param name="process">Processes one task (the runner's span and metrics included).</param>
    /// <param name="canRun">Whether the queue may still run (settings, the connector's switch).</param>
    /// <param name="recordProgress">Records outcomes while slow calls go on; <see langword="false"/> when the store refused them.</param>
    /// <param name="runToken">The run's token (the lease's).</param>
    public async Task RunAsync(Func<QueuedTask, CancellationToken, Task<TaskDecision>> process, Func<bool> canRun, Func<List<TaskOutcome>, Task<bool>> recordProgress, CancellationToken runToken)
    {
        var workers = new Task[Math.Min(maxDegreeOfParallelism, _groups.Count)];
        for (var i = 0; i < workers.Length; i++)
        {
            workers[i] = WorkAsync(process, canRun, runToken);
        }

        var all = Task.WhenAll(workers);
        if (!all.IsCompleted)
        {
            using var progress = new CancellationTokenSource();
            try
            {
                while (await Task.WhenAny(all, Task.Delay(progressInterval, time, progress.Token)).ConfigureAwait(false) != all)
                {
                    // Slow calls: what is done is made durable as it goes, so a crash repeats little.
                    var done = TakeOutcomes();
                    if (done.Count > 0 && !await recordProgress(done).ConfigureAwait(false))
                    {
                        // The lease is lost (its token is cancelled): the workers stop after their current call.
                        _stopped = true;
                    }
                }
            }
            catch
            {
                // The store failed: no worker may outlive the run (a next run would call its key again).
                _stopped = true;
                await all.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                throw;
            }
            finally
            {
                await progress.CancelAsync().ConfigureAwait(false);
            }
        }

        await all.ConfigureAwait(false);
    }

    /// <summary>Takes the outcomes collected so far, for the runner to record.</summary>
    public List<TaskOutcome> TakeOutcomes()
    {
        lock (_gate)
        {
            var taken = _outcomes;
            _outcomes = [];
            return taken;
        }
    }

    private async Task WorkAsync(Func<QueuedTask, CancellationToken, Task<TaskDecision>> process, Func<bool> canRun, CancellationToken runToken)
    {
        try
        {
            for (var i = Interlocked.Increment(ref _next); i < _groups.Count && !_stopped; i = Interlocked.Increment(ref _next))
            {
                var (key, tasks) = _groups[i];
                await RunKeyAsync(key, tasks, process, canRun, runToken).ConfigureAwait(false);
            }
        }
        catch
        {
            // The run is cancelled (lease lost, bus stopping) or broken: the other workers stop after their current call.
            _stopped = true;
            throw;
        }
    }

    private async Task RunKeyAsync(string key, List<QueuedTask> tasks, Func<QueuedTask, CancellationToken, Task<TaskDecision>> process, Func<bool> canRun, CancellationToken runToken)
    {
        foreach (var task in tasks)
        {
            if (_stopped || runToken.IsCancellationRequested || !canRun())
            {
                _stopped = true;
                return;
            }

            var decision = await process(task, runToken).ConfigureAwait(false);
            lock (_gate)
            {
                if (decision.Outcome is { } outcome)
                {
                    _outcomes.Add(outcome);
                }

                SkippedNow |= decision.SkippedNow;
                if (decision.Paused)
                {
                    // The connector's circuit breaker is open: no key goes on until the break ends.
                    _stopped = true;
                    Earliest(decision.DueAt);
                    return;
                }

                if (decision.StopRun || decision.Outcome is { Park: true })
                {
                    // An Error holds the key until its retry; a parked task blocks it until an operator acts.
                    Hold(key, task, decision.StopRun ? decision.DueAt : null);
                    return;
                }
            }
        }
    }

    private void Hold(string key, QueuedTask task, DateTimeOffset? until)
    {
        _held.Add(key);
        Earliest(until);
        Log.KeyHeld(logger, name, key, task.Id, until);
    }

    private void Earliest(DateTimeOffset? at)
    {
        if (at is { } due && (DueAt is null || due < DueAt))
        {
            DueAt = due;
        }
    }
}
