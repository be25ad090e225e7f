using IntegrationBus.Connectors;
using IntegrationBus.Hosting;
using IntegrationBus.Model;
using IntegrationBus.Settings;
using IntegrationBus.Storage;
using IntegrationBus.Translation;
using Microsoft.Extensions.Logging;

namespace IntegrationBus.Processing;

/// <summary>Hands outgoing tasks to the connector as disconnected copies and maps its results (DESIGN.md §4).</summary>
internal sealed class OutgoingProcessor(BusRuntime runtime, int index, RetryBackoff backoff, ILogger logger) : ITaskProcessor
{
    private readonly Connector _connector = runtime.Connectors.Connectors[index];
    private readonly ConnectorOptions _options = runtime.Connectors.Options[index];
    private TranslationCache _translations = new(runtime.Types);

    public TaskDirection Direction => TaskDirection.Outgoing;

    public bool IsEnabled(BusSettings settings) => settings.ShouldProcessOutgoing;

    public void BeginRun() => _translations = new TranslationCache(runtime.Types);

    public async Task<TaskDecision> ProcessAsync(QueuedTask task, CancellationToken stoppingToken)
    {
        ObjectSnapshot snapshot;
        try
        {
            snapshot = TaskPayload.Deserialize(task.Payload, runtime.Types);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // Whatever is wrong with a stored payload, retrying cannot repair it: park it, never block the queue.
            Log.TaskPayloadUnreadable(logger, task.Id, _connector.Name, Direction, exception.Message);
            return new TaskDecision(new TaskOutcome(task.Id, TaskResultKind.Error, exception.Message, runtime.TimeProvider.GetUtcNow(), Park: true));
        }

        var outgoing = new OutgoingTask(task.Id, task.Guid, task.TaskType, task.DataType, snapshot, task.CreatedAt, task.Attempts + 1, _translations);
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

        return Decide(task, result);
    }

    private TaskDecision Decide(QueuedTask task, TaskResult result)
    {
        var now = runtime.TimeProvider.GetUtcNow();
        var attempt = task.Attempts + 1;
        var park = _options.MaxAttempts is { } max && attempt >= max;
        switch (result.Kind)
        {
            case TaskResultKind.Ok:
                Log.TaskProcessed(logger, _connector.Name, task.Id, Direction, result.Kind);
                return new TaskDecision(new TaskOutcome(task.Id, TaskResultKind.Ok, null, now));
            case TaskResultKind.SkipNow:
                Log.TaskSkipped(logger, _connector.Name, task.Id, Direction, result.Message);
                return new TaskDecision(null, Skipped: true);
            case TaskResultKind.ErrorAndSkip when !park:
                Log.TaskFailedAndSkipped(logger, _connector.Name, task.Id, Direction, attempt, result.Message);
                return new TaskDecision(new TaskOutcome(task.Id, TaskResultKind.ErrorAndSkip, result.Message, now), Skipped: true);
            case TaskResultKind.Error when !park:
                var next = now + backoff.GetDelay(attempt);
                Log.TaskFailed(logger, _connector.Name, task.Id, Direction, attempt, result.Message, next);
                return new TaskDecision(new TaskOutcome(task.Id, TaskResultKind.Error, result.Message, now, next), StopRun: true, DueAt: next);
            default:
                Log.TaskParked(logger, _connector.Name, task.Id, Direction, attempt, result.Message);
                return new TaskDecision(new TaskOutcome(task.Id, result.Kind, result.Message, now, Park: true));
        }
    }
}
