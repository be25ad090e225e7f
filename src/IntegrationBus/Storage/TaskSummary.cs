using IntegrationBus.Model;

namespace IntegrationBus.Storage;

/// <summary>One task for one connector, as management lists show it.</summary>
/// <param name="TaskId">The task ID.</param>
/// <param name="Guid">The task GUID.</param>
/// <param name="Connector">The connector.</param>
/// <param name="Direction">The direction.</param>
/// <param name="TaskType">The operation.</param>
/// <param name="DataType">The data type.</param>
/// <param name="ObjectType">The object type.</param>
/// <param name="ObjectId">The object ID.</param>
/// <param name="Site">The site.</param>
/// <param name="CreatedAt">When the change was logged.</param>
/// <param name="Status">The connector's state for the task.</param>
/// <param name="Attempts">Failed attempts so far.</param>
/// <param name="LastError">The last error message.</param>
/// <param name="LastRunAt">When the task was last attempted.</param>
/// <param name="NextAttemptAt">When an errored task may be retried.</param>
public sealed record TaskSummary(
    long TaskId,
    Guid Guid,
    string Connector,
    TaskDirection Direction,
    TaskType TaskType,
    DataType DataType,
    string ObjectType,
    long? ObjectId,
    string? Site,
    DateTimeOffset CreatedAt,
    SynchronizationStatus Status,
    int Attempts,
    string? LastError,
    DateTimeOffset? LastRunAt,
    DateTimeOffset? NextAttemptAt);
