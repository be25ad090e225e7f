using System.Diagnostics;
using IntegrationBus.Processing;
using IntegrationBus.Storage;

namespace IntegrationBus.Diagnostics;

/// <summary>
/// The bus's spans (OpenTelemetry messaging conventions): a producer <c>create</c> span when a task is logged, whose
/// context is stored with the task, and a consumer <c>process</c> span per connector (or data handler) call, whose parent
/// is that stored context, so the request that changed an object and the later call to the external system share a trace.
/// </summary>
/// <remarks>Without a listener, nothing is allocated: <see cref="ActivitySource.HasListeners"/> is checked first.</remarks>
internal static class BusTracing
{
    public const string MessagingSystem = "messaging.system";
    public const string OperationType = "messaging.operation.type";
    public const string OperationName = "messaging.operation.name";
    public const string DestinationName = "messaging.destination.name";
    public const string MessageId = "messaging.message.id";
    public const string BatchMessageCount = "messaging.batch.message_count";
    public const string ErrorType = "error.type";
    public const string Attempt = "integrationbus.task.attempt";
    public const string Result = "integrationbus.task.result";
    public const string Parked = "integrationbus.task.parked";
    public const string TaskId = "integrationbus.task.id";
    public const string ObjectType = "integrationbus.object.type";
    public const string TaskType = "integrationbus.task.type";

    /// <summary>The source every span of the bus comes from.</summary>
    public static readonly ActivitySource Source = new(IntegrationBusTelemetry.Name, typeof(BusTracing).Assembly.GetName().Version?.ToString(3));

    /// <summary>
    /// Records the <c>create</c> span of a task in the caller's trace and returns the context to store with it. Without a
    /// listener (or when the span is not sampled), the caller's own W3C context is stored, if there is one.
    /// </summary>
    public static TraceContext Create(ConnectorRuntime[] connectors, TaskDirection direction, Guid taskGuid, string objectType, TaskType taskType)
    {
        if (Source.HasListeners())
        {
            var destination = connectors.Length == 1 ? connectors[0].Queue(direction).DestinationName : string.Join(',', connectors.Select(c => c.Name)) + "/" + QueueRuntime.DirectionName(direction);
            using var activity = Source.StartActivity("create " + destination, ActivityKind.Producer);
            if (activity is not null)
            {
                if (activity.IsAllDataRequested)
                {
                    activity.SetTag(MessagingSystem, IntegrationBusTelemetry.MessagingSystem);
                    activity.SetTag(OperationType, "create");
                    activity.SetTag(OperationName, "create");
                    activity.SetTag(DestinationName, destination);
                    activity.SetTag(MessageId, taskGuid.ToString());
                    activity.SetTag(ObjectType, objectType);
                    activity.SetTag(TaskType, taskType.ToString());
                }

                return new TraceContext(activity.Id, activity.TraceStateString);
            }
        }

        return Activity.Current is { IdFormat: ActivityIdFormat.W3C } current ? new TraceContext(current.Id, current.TraceStateString) : default;
    }

    /// <summary>Starts the <c>process</c> span of one call for a task, as a child of the context stored with it.</summary>
    /// <returns>The span, or <see langword="null"/> when nobody listens (or it is not sampled).</returns>
    public static Activity? StartProcess(QueueRuntime queue, QueuedTask task)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        ActivityContext parent = default;
        if (task.TraceParent is { } traceParent && !ActivityContext.TryParse(traceParent, task.TraceState, isRemote: true, out parent))
        {
            parent = default;
        }

        var activity = Source.StartActivity(queue.ProcessSpanName, ActivityKind.Consumer, parent);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(MessagingSystem, IntegrationBusTelemetry.MessagingSystem);
            activity.SetTag(OperationType, "process");
            activity.SetTag(OperationName, "process");
            activity.SetTag(DestinationName, queue.DestinationName);
            activity.SetTag(MessageId, task.Guid.ToString());
            activity.SetTag(TaskId, task.Id);
            activity.SetTag(ObjectType, task.ObjectType);
            activity.SetTag(TaskType, task.TaskType.ToString());
            activity.SetTag(Attempt, task.Attempts + 1);
        }

        return activity;
    }

    /// <summary>Ends a <c>process</c> span with the call's result.</summary>
    public static void Complete(Activity? activity, TaskDecision decision)
    {
        if (activity is null)
        {
            return;
        }

        var result = decision.ResultKind;
        if (activity.IsAllDataRequested)
        {
            activity.SetTag(Result, result.ToString());
            if (decision.Outcome is { Park: true })
            {
                activity.SetTag(Parked, true);
            }

            if (result is TaskResultKind.Error or TaskResultKind.ErrorAndSkip)
            {
                activity.SetTag(ErrorType, decision.Exception?.GetType().FullName ?? result.ToString());
                activity.SetStatus(ActivityStatusCode.Error, decision.Outcome?.Message);
            }
        }

        activity.Dispose();
    }
}
