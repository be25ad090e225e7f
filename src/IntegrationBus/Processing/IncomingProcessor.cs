using IntegrationBus.Storage;
using Microsoft.Extensions.Logging;

namespace IntegrationBus.Processing;

/// <summary>Resolves an incoming task's references and lets the data handler apply it; its policy decides what a failure does (DESIGN.md §5).</summary>
internal sealed class IncomingProcessor(
    ConnectorRuntime connector,
    ObjectTypeRegistry types,
    IInternalDataHandler? handler,
    IncomingOrigin origin,
    TimeProvider time,
    RetryBackoff backoff,
    ILogger logger) : ITaskProcessor
{
    private const string NoHandler = "No IInternalDataHandler is registered; call UseInternalDataHandler<T>() in AddIntegrationBus to apply incoming tasks.";
    private readonly ReferenceResolver? _resolver = handler is null ? null : new ReferenceResolver(types, handler);
    private readonly IncomingBatchApplier? _batches = handler is IInternalBatchDataHandler batchHandler
        ? new IncomingBatchApplier(connector, types, batchHandler, origin, time, logger)
        : null;

    public TaskDirection Direction => TaskDirection.Incoming;

    private string Name => connector.Name;

    public bool IsEnabled(BusSettings settings) => settings.Enabled && settings.ProcessIncoming;

    public void BeginRun()
    {
    }

    public Task PrepareBatchAsync(IReadOnlyList<QueuedTask> tasks, CancellationToken runToken) =>
        _batches?.ApplyAsync(tasks, runToken) ?? Task.CompletedTask;

    public async Task<TaskDecision> ProcessAsync(QueuedTask task, CancellationToken runToken)
    {
        if (_batches is not null && _batches.TryTake(task.Id, out var applied))
        {
            return applied;
        }

        var now = time.GetUtcNow();
        if (task.Policy == IncomingPolicy.SkipOnce && task.Attempts == 0 && task.Status == SynchronizationStatus.Pending)
        {
            // The next pass comes after the first back-off step, giving what the task depends on time to arrive.
            return new TaskDecision(new TaskOutcome { TaskId = task.Id, Result = TaskResultKind.ErrorAndSkip, Message = "Skipped once (SkipOnce policy).", AttemptedAt = now, NextAttemptAt = now + backoff.GetDelay(1) });
        }

        ObjectSnapshot snapshot;
        try
        {
            var ignored = new List<(string Type, string Field)>();
            snapshot = TaskPayload.Deserialize(task.Payload, types, ignored);
            foreach (var (type, field) in ignored)
            {
                Log.PayloadFieldIgnored(logger, task.Id, Name, Direction, type, field);
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // Whatever is wrong with a stored payload, retrying cannot repair it: park it, never block the queue.
            Log.TaskPayloadUnreadable(logger, task.Id, Name, Direction, exception.Message);
            return new TaskDecision(new TaskOutcome { TaskId = task.Id, Result = TaskResultKind.Error, Message = exception.Message, AttemptedAt = now, Park = true });
        }

        var call = handler is null || _resolver is null
            ? new CallOutcome(TaskResult.Error(NoHandler), null)
            : await ConnectorCall.InvokeAsync(static (state, token) => state.Processor.ApplyAsync(state.Task, state.Snapshot, token), (Processor: this, Task: task, Snapshot: snapshot), "The data handler", connector.Options.TaskTimeout, time, runToken).ConfigureAwait(false);
        return Decide(task, call);
    }

    private async Task<TaskResult> ApplyAsync(QueuedTask task, ObjectSnapshot snapshot, CancellationToken cancellationToken)
    {
        await _resolver!.ResolveForeignKeysAsync(snapshot, cancellationToken).ConfigureAwait(false);
        var existing = await _resolver.FindExistingAsync(snapshot.Object, cancellationToken).ConfigureAwait(false);
        var incoming = new IncomingTask(task.Id, task.Guid, Name, task.TaskType, task.DataType, snapshot, existing, task.Policy, task.Attempts + 1, task.CreatedAt);
        using (origin.Enter(connector))
        {
            return await handler!.ApplyAsync(incoming, cancellationToken).ConfigureAwait(false);
        }
    }

    private TaskDecision Decide(QueuedTask task, CallOutcome call)
    {
        var (result, exception) = call;
        var now = time.GetUtcNow();
        if (result.Kind == TaskResultKind.Ok)
        {
            IncomingLog.IncomingApplied(logger, task.Id, Name);
            return new TaskDecision(new TaskOutcome { TaskId = task.Id, Result = TaskResultKind.Ok, AttemptedAt = now });
        }

        if (result.Kind == TaskResultKind.SkipNow)
        {
            return new TaskDecision(null, SkippedNow: true);
        }

        var message = result.Message;
        var details = exception?.ToString();
        var attempt = task.Attempts + 1;
        var park = connector.Options.MaxAttempts is { } max && attempt >= max;
        switch (task.Policy)
        {
            case IncomingPolicy.DeleteOnError:
                IncomingLog.IncomingFailedDeleted(logger, task.Id, Name, message, exception);
                return new TaskDecision(new TaskOutcome { TaskId = task.Id, Result = TaskResultKind.Error, Message = message, Details = details, AttemptedAt = now, Discard = true }, Exception: exception);
            case IncomingPolicy.SkipOnError:
                IncomingLog.IncomingFailedSkipped(logger, task.Id, Name, message, exception);
                return new TaskDecision(new TaskOutcome
                {
                    TaskId = task.Id, Result = TaskResultKind.ErrorAndSkip, Message = message, Details = details, AttemptedAt = now,
                    NextAttemptAt = park ? null : now + backoff.GetDelay(attempt), Park = park,
                }, Exception: exception);
            default:
                // An error waits for an operator: no retry time, and the queue stays blocked behind it.
                IncomingLog.IncomingFailedWaiting(logger, task.Id, Name, message, exception);
                return new TaskDecision(new TaskOutcome { TaskId = task.Id, Result = TaskResultKind.Error, Message = message, Details = details, AttemptedAt = now }, StopRun: true, Exception: exception);
        }
    }
}
