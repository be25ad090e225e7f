using IntegrationBus.Connectors;
using IntegrationBus.Hosting;
using IntegrationBus.Incoming;
using IntegrationBus.Model;
using IntegrationBus.Settings;
using IntegrationBus.Storage;
using Microsoft.Extensions.Logging;

namespace IntegrationBus.Processing;

/// <summary>Resolves an incoming task's references and lets the data handler apply it; its policy decides what a failure does (DESIGN.md §5).</summary>
internal sealed class IncomingProcessor(BusRuntime runtime, int index, IInternalDataHandler? handler, ILogger logger) : ITaskProcessor
{
    private readonly Connector _connector = runtime.Connectors.Connectors[index];
    private readonly ConnectorOptions _options = runtime.Connectors.Options[index];
    private readonly ReferenceResolver? _resolver = handler is null ? null : new ReferenceResolver(runtime.Types, handler);

    public TaskDirection Direction => TaskDirection.Incoming;

    public bool IsEnabled(BusSettings settings) => settings.Enabled && settings.ProcessIncoming;

    public void BeginRun()
    {
    }

    public async Task<TaskDecision> ProcessAsync(QueuedTask task, CancellationToken stoppingToken)
    {
        var now = runtime.TimeProvider.GetUtcNow();
        if (task.Policy == IncomingPolicy.SkipOnce && task.Attempts == 0 && task.Status == SynchronizationStatus.Pending)
        {
            return new TaskDecision(new TaskOutcome(task.Id, TaskResultKind.ErrorAndSkip, "Skipped once (SkipOnce policy).", now), Skipped: true);
        }

        ObjectSnapshot snapshot;
        try
        {
            snapshot = TaskPayload.Deserialize(task.Payload, runtime.Types);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // Whatever is wrong with a stored payload, retrying cannot repair it: park it, never block the queue.
            Log.TaskPayloadUnreadable(logger, task.Id, _connector.Name, Direction, exception.Message);
            return new TaskDecision(new TaskOutcome(task.Id, TaskResultKind.Error, exception.Message, now, Park: true));
        }

        var result = await ApplyAsync(task, snapshot, stoppingToken).ConfigureAwait(false);
        return Decide(task, result);
    }

    private async Task<TaskResult> ApplyAsync(QueuedTask task, ObjectSnapshot snapshot, CancellationToken stoppingToken)
    {
        if (handler is null || _resolver is null)
        {
            return TaskResult.Error("No IInternalDataHandler is registered; call UseInternalDataHandler<T>() in AddIntegrationBus to apply incoming tasks.");
        }

        try
        {
            await _resolver.ResolveForeignKeysAsync(snapshot, stoppingToken).ConfigureAwait(false);
            var existing = await _resolver.FindExistingAsync(snapshot.Object, stoppingToken).ConfigureAwait(false);
            var incoming = new IncomingTask(task.Id, task.Guid, _connector.Name, task.TaskType, task.DataType, snapshot, existing, task.Policy, task.Attempts + 1, task.CreatedAt);
            using (runtime.EnterIncoming(_connector))
            {
                return await handler.ApplyAsync(incoming, stoppingToken).ConfigureAwait(false)
                    ?? TaskResult.Error("The data handler returned no result.");
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception exception)
        {
            return TaskResult.Error(exception is IntegrationBusException ? exception.Message : $"{exception.GetType().Name}: {exception.Message}");
        }
    }

    private TaskDecision Decide(QueuedTask task, TaskResult result)
    {
        var now = runtime.TimeProvider.GetUtcNow();
        if (result.Kind == TaskResultKind.Ok)
        {
            Incoming.Log.IncomingApplied(logger, task.Id, _connector.Name);
            return new TaskDecision(new TaskOutcome(task.Id, TaskResultKind.Ok, null, now));
        }

        if (result.Kind == TaskResultKind.SkipNow)
        {
            return new TaskDecision(null, Skipped: true);
        }

        var message = result.Message;
        var park = _options.MaxAttempts is { } max && task.Attempts + 1 >= max;
        switch (task.Policy)
        {
            case IncomingPolicy.DeleteOnError:
                Incoming.Log.IncomingFailedDeleted(logger, task.Id, _connector.Name, message);
                return new TaskDecision(new TaskOutcome(task.Id, TaskResultKind.Error, message, now, Discard: true));
            case IncomingPolicy.SkipOnError:
                Incoming.Log.IncomingFailedSkipped(logger, task.Id, _connector.Name, message);
                return new TaskDecision(new TaskOutcome(task.Id, TaskResultKind.ErrorAndSkip, message, now, Park: park), Skipped: !park);
            default:
                // An error waits for an operator: no retry time, and the queue stays blocked behind it.
                Incoming.Log.IncomingFailedWaiting(logger, task.Id, _connector.Name, message);
                return new TaskDecision(new TaskOutcome(task.Id, TaskResultKind.Error, message, now), StopRun: true);
        }
    }
}
