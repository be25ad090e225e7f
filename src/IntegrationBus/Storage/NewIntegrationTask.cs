using IntegrationBus.Model;

namespace IntegrationBus.Storage;

/// <summary>A task to append: one change in one data type, for one or more connectors.</summary>
/// <param name="Guid">The task's stable GUID; connectors can use it as an idempotency key.</param>
/// <param name="Direction">Outgoing or incoming.</param>
/// <param name="TaskType">The operation.</param>
/// <param name="DataType">How much of the object the payload carries.</param>
/// <param name="ObjectType">The object (or page) type name.</param>
/// <param name="ObjectId">The object's ID, when it has one.</param>
/// <param name="Site">The object's site, or <see langword="null"/> when global.</param>
/// <param name="Payload">The versioned JSON payload.</param>
/// <param name="CreatedAt">When the change was logged.</param>
/// <param name="Connectors">The connectors that get a synchronization row.</param>
/// <param name="OriginConnector">For incoming tasks, the connector the change came from.</param>
/// <param name="Policy">For incoming tasks, the failure policy.</param>
public sealed record NewIntegrationTask(
    Guid Guid,
    TaskDirection Direction,
    TaskType TaskType,
    DataType DataType,
    string ObjectType,
    long? ObjectId,
    string? Site,
    string Payload,
    DateTimeOffset CreatedAt,
    IReadOnlyList<string> Connectors,
    string? OriginConnector = null,
    IncomingPolicy Policy = IncomingPolicy.Default);
