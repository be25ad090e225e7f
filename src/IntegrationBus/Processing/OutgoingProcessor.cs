using System.Collections.Concurrent;
using IntegrationBus.Storage;
using Microsoft.Extensions.Logging;

namespace IntegrationBus.Processing;

/// <summary>Hands outgoing tasks to the connector as disconnected copies and maps its results (DESIGN.md §4).</summary>
/// <remarks>
/// Under per-object ordering the runner calls <see cref="ProcessAsync"/> for several keys at once: the run's state (the
/// batch's external IDs, the translation cache) is safe for that; <see cref="BeginRun"/> and
/// <see cref="PrepareBatchAsync"/> run only between batches.
/// </remarks>
internal sealed class OutgoingProcessor(ConnectorRuntime connector, ObjectTypeRegistry types, IdMapStore idMap, TimeProvider time, RetryBackoff backoff, ILogger logger) : ITaskProcessor
{
    private readonly ConcurrentDictionary<IdMapKey, ExternalId> _externalIds = new();

    // Whether the map holds any entry of this connector, learnt once per run (null: not yet). Only this queue's lease
    // holder adds entries, so a connector that never reported an external ID costs one look-up per run, not one per batch.
    private bool? _mapHasEntries;
    private readonly string _callee = $"Connector '{connector.Name}'";
    private TranslationCache _translations = new(types);

    public TaskDirection Direction => TaskDirection.Outgoing;

    private string Name => connector.Name;

    public bool IsEnabled(BusSettings settings) => settings.ShouldProcessOutgoing;

    public void BeginRun()
    {
        _translations = new TranslationCache(types);
        _mapHasEntries = null;
    }

    /// <summary>Reads the batch's objects' own external IDs from the ID map in one query.</summary>
    public async Task PrepareBatchAsync(IReadOnlyList<QueuedTask> tasks, CancellationToken runToken)
    {
        _externalIds.Clear();
        _mapHasEntries ??= (await idMap.ListAsync(new IdMapQuery { Connector = Name, Limit = 1 }, runToken).ConfigureAwait(false)).Count > 0;
        if (_mapHasEntries == false)
        {
            return;
        }

        var keys = new List<IdMapKey>(tasks.Count);
        foreach (var task in tasks)
        {
            if (task.ObjectGuid is { } guid)
            {
                keys.Add(new IdMapKey(task.ObjectType, guid));
            }
        }

        if (keys.Count == 0)
        {
            return;
        }

        foreach (var entry in await idMap.FindByObjectsAsync(Name, keys, runToken).ConfigureAwait(false))
        {
            _externalIds[entry.Key] = entry.ExternalId;
        }
    }

    public async Task<TaskDecision> ProcessAsync(QueuedTask task, CancellationToken runToken)
    {
        var breaker = connector.Outgoing.Breaker;
        if (breaker?.PausedUntil(time.GetUtcNow()) is { } pausedUntil)
        {
            return Paused(pausedUntil);
        }

        ObjectSnapshot snapshot;
        try
        {
            List<(string Type, string Field)> ignoredFields = [];
            snapshot = TaskPayload.Deserialize(task.Payload, types, ignoredFields);
            LogIgnoredFields(task, ignoredFields);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // Whatever is wrong with a stored payload, retrying cannot repair it: park it, never block the queue.
            Log.TaskPayloadUnreadable(logger, task.Id, Name, Direction, exception.Message);
            return new TaskDecision(new TaskOutcome { TaskId = task.Id, Result = TaskResultKind.Error, Message = exception.Message, AttemptedAt = time.GetUtcNow(), Park = true });
        }

        ExternalId? externalId = task.ObjectGuid is { } guid && _externalIds.TryGetValue(new IdMapKey(task.ObjectType, guid), out var known) ? (ExternalId?)known : null;
        var outgoing = new OutgoingTask(task.Id, task.Guid, task.TaskType, task.DataType, snapshot, task.CreatedAt, task.Attempts + 1, _translations, externalId);
        if (breaker is null)
        {
            return Decide(task, await CallAsync(outgoing, runToken).ConfigureAwait(false));
        }

        // Through the circuit breaker: a refused call records nothing, and the queue is due again at the break's end.
        var (call, resumeAt) = await breaker.ExecuteAsync(token => CallAsync(outgoing, token), runToken).ConfigureAwait(false);
        return call is { } made ? Decide(task, made) : Paused(resumeAt);
    }

    private Task<CallOutcome> CallAsync(OutgoingTask outgoing, CancellationToken runToken) => ConnectorCall.InvokeAsync(
        static (state, token) => state.Connector.InvokeOutgoingAsync(state.Task, token), (connector.Connector, Task: outgoing), _callee, connector.Options.TaskTimeout, time, runToken);

    private TaskDecision Paused(DateTimeOffset until)
    {
        CircuitBreakerLog.Paused(logger, Name, until);
        return new TaskDecision(null, StopRun: true, DueAt: until, Paused: true);
    }

    /// <summary>
    /// Keeps what an OK did to the ID map for the rest of the run: the store writes it with the batch's results, and later
    /// tasks of the same batch (an update after its create, a child after its parent) must already see it.
    /// </summary>
    private void Remember(QueuedTask task, ExternalId? externalId, bool forget)
    {
        if (externalId is null && !forget)
        {
            return;
        }

        if (task.ObjectGuid is not { } guid)
        {
            if (externalId is { } id)
            {
                Log.ExternalIdNotMapped(logger, Name, task.Id, id.ToString(), task.ObjectType);
            }

            return;
        }

        var key = new IdMapKey(task.ObjectType, guid);
        if (forget)
        {
            _externalIds.TryRemove(key, out _);
        }
        else
        {
            _externalIds[key] = externalId!.Value;
            _mapHasEntries = true;
        }

        if (task.ObjectId is { } objectId)
        {
            _translations.Set(task.ObjectType, objectId, types.TryGet(task.ObjectType, out var type) && type.IsPage, forget ? null : externalId);
        }
    }

    private void LogIgnoredFields(QueuedTask task, List<(string Type, string Field)> ignoredFields)
    {
        foreach (var (type, field) in ignoredFields)
        {
            Log.PayloadFieldIgnored(logger, task.Id, Name, Direction, type, field);
        }
    }

    private TaskDecision Decide(QueuedTask task, CallOutcome call)
    {
        var (result, exception) = call;
        var now = time.GetUtcNow();
        var attempt = task.Attempts + 1;
        var park = connector.Options.MaxAttempts is { } max && attempt >= max;
        var details = exception?.ToString();
        switch (result.Kind)
        {
            case TaskResultKind.Ok:
                Log.TaskProcessed(logger, Name, task.Id, Direction, result.Kind);
                var forget = task.TaskType is TaskType.DeleteObject or TaskType.DeleteAllCultures;
                var mapped = forget ? null : result.ExternalId;
                Remember(task, mapped, forget);
                return new TaskDecision(new TaskOutcome { TaskId = task.Id, Result = TaskResultKind.Ok, AttemptedAt = now, ExternalId = mapped, ForgetExternalId = forget });
            case TaskResultKind.SkipNow:
                Log.TaskSkipped(logger, Name, task.Id, Direction, result.Message);
                return new TaskDecision(null, SkippedNow: true);
            case TaskResultKind.ErrorAndSkip when !park:
                // Skipped tasks respect the back-off too: the store does not return them before it.
                var retryAt = now + backoff.GetDelay(attempt);
                Log.TaskFailedAndSkipped(logger, Name, task.Id, Direction, attempt, result.Message, retryAt, exception);
                return new TaskDecision(new TaskOutcome { TaskId = task.Id, Result = TaskResultKind.ErrorAndSkip, Message = result.Message, Details = details, AttemptedAt = now, NextAttemptAt = retryAt }, Exception: exception);
            case TaskResultKind.Error when !park:
                // An external system that said when to come back (Retry-After) is believed over the back-off.
                var next = now + (result.RetryAfter ?? backoff.GetDelay(attempt));
                Log.TaskFailed(logger, Name, task.Id, Direction, attempt, result.Message, next, exception);
                return new TaskDecision(
                    new TaskOutcome { TaskId = task.Id, Result = TaskResultKind.Error, Message = result.Message, Details = details, AttemptedAt = now, NextAttemptAt = next },
                    StopRun: true,
                    DueAt: next,
                    Exception: exception);
            default:
                Log.TaskParked(logger, Name, task.Id, Direction, attempt, result.Message, exception);
                return new TaskDecision(new TaskOutcome { TaskId = task.Id, Result = result.Kind, Message = result.Message, Details = details, AttemptedAt = now, Park = true }, Exception: exception);
        }
    }
}
