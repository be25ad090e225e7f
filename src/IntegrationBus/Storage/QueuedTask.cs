
namespace IntegrationBus.Storage;

/// <summary>A task as a runner reads it: the task and this queue's synchronization state.</summary>
public sealed record QueuedTask
{
    /// <summary>Gets the task ID; queues are processed in ascending ID order.</summary>
    public required long Id { get; init; }

    /// <summary>Gets the task's stable GUID.</summary>
    public required Guid Guid { get; init; }

    /// <summary>Gets the direction.</summary>
    public required TaskDirection Direction { get; init; }

    /// <summary>Gets the operation.</summary>
    public required TaskType TaskType { get; init; }

    /// <summary>Gets how much of the object the payload carries.</summary>
    public required DataType DataType { get; init; }

    /// <summary>Gets the object (or page) type name.</summary>
    public required string ObjectType { get; init; }

    /// <summary>Gets the object's ID, when it has one.</summary>
    public long? ObjectId { get; init; }

    /// <summary>Gets the object's GUID (a page's node GUID), when it has one.</summary>
    public Guid? ObjectGuid { get; init; }

    /// <summary>Gets the object's site.</summary>
    public string? Site { get; init; }

    /// <summary>Gets the versioned JSON payload.</summary>
    public required string Payload { get; init; }

    /// <summary>Gets when the change was logged.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>Gets, for incoming tasks, the connector the change came from.</summary>
    public string? OriginConnector { get; init; }

    /// <summary>Gets, for incoming tasks, the failure policy.</summary>
    public IncomingPolicy Policy { get; init; }

    /// <summary>Gets this queue's state for the task.</summary>
    public SynchronizationStatus Status { get; init; }

    /// <summary>Gets how many failed attempts were recorded.</summary>
    public int Attempts { get; init; }

    /// <summary>Gets when an errored or skipped task may be retried.</summary>
    public DateTimeOffset? NextAttemptAt { get; init; }

    /// <summary>Gets the W3C <c>traceparent</c> stored with the task.</summary>
    public string? TraceParent { get; init; }

    /// <summary>Gets the W3C <c>tracestate</c> stored with the task.</summary>
    public string? TraceState { get; init; }

    /// <summary>Gets how many queues (synchronizations) the task was appended to, or 0 when the store does not say.</summary>
    /// <remarks>
    /// A runner passes on whether every task of a batch has 1 (<see cref="RecordRequest.SingleQueueTasks"/>), so a store can
    /// remove an acknowledged task with its one synchronization without looking for other queues' rows.
    /// </remarks>
    /// <value>0: unknown.</value>
    public int SynchronizationCount { get; init; }

    /// <summary>Gets the task's ordering key for this queue's connector, when the connector orders per key (<see cref="Ordering.PerObject"/>).</summary>
    public string? OrderingKey { get; init; }
}
