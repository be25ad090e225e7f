using IntegrationBus.Model;

namespace IntegrationBus.Storage;

/// <summary>A task as a runner reads it: the task and this connector's synchronization state.</summary>
/// <param name="Id">The task ID; queues are processed in ascending ID order.</param>
/// <param name="Guid">The task's stable GUID.</param>
/// <param name="Direction">Outgoing or incoming.</param>
/// <param name="TaskType">The operation.</param>
/// <param name="DataType">How much of the object the payload carries.</param>
/// <param name="ObjectType">The object (or page) type name.</param>
/// <param name="ObjectId">The object's ID, when it has one.</param>
/// <param name="Site">The object's site.</param>
/// <param name="Payload">The versioned JSON payload.</param>
/// <param name="CreatedAt">When the change was logged.</param>
/// <param name="OriginConnector">For incoming tasks, the connector the change came from.</param>
/// <param name="Policy">For incoming tasks, the failure policy.</param>
/// <param name="Status">This connector's state for the task.</param>
/// <param name="Attempts">How many failed attempts were recorded.</param>
/// <param name="NextAttemptAt">When an errored task may be retried.</param>
public sealed record QueuedTask(
    long Id,
    Guid Guid,
    TaskDirection Direction,
    TaskType TaskType,
    DataType DataType,
    string ObjectType,
    long? ObjectId,
    string? Site,
    string Payload,
    DateTimeOffset CreatedAt,
    string? OriginConnector,
    IncomingPolicy Policy,
    SynchronizationStatus Status,
    int Attempts,
    DateTimeOffset? NextAttemptAt);
