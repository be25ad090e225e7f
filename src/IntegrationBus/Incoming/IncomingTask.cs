
namespace IntegrationBus;

/// <summary>An incoming task as the data handler receives it, with its references resolved to internal IDs.</summary>
public sealed class IncomingTask
{
    internal IncomingTask(long id, Guid guid, string connectorName, TaskType taskType, DataType dataType, ObjectSnapshot snapshot, long? existingObjectId, IncomingPolicy policy, int attempt, DateTimeOffset createdAt)
    {
        Id = id;
        Guid = guid;
        ConnectorName = connectorName;
        TaskType = taskType;
        DataType = dataType;
        Snapshot = snapshot;
        ExistingObjectId = existingObjectId;
        Policy = policy;
        Attempt = attempt;
        CreatedAt = createdAt;
    }

    /// <summary>Gets the task ID.</summary>
    public long Id { get; }

    /// <summary>Gets the task's stable GUID.</summary>
    public Guid Guid { get; }

    /// <summary>Gets the connector the change came from.</summary>
    public string ConnectorName { get; }

    /// <summary>Gets the operation.</summary>
    public TaskType TaskType { get; }

    /// <summary>Gets how much of the object the task carries.</summary>
    public DataType DataType { get; }

    /// <summary>Gets the object (foreign keys rewritten to internal IDs) with its children and bindings.</summary>
    public ObjectSnapshot Snapshot { get; }

    /// <summary>Gets the object.</summary>
    public BusObject Object => Snapshot.Object;

    /// <summary>Gets the internal ID of the object this task changes, found by its GUID or code name, or <see langword="null"/> when it does not exist yet.</summary>
    public long? ExistingObjectId { get; }

    /// <summary>Gets the failure policy.</summary>
    public IncomingPolicy Policy { get; }

    /// <summary>Gets which attempt this is.</summary>
    public int Attempt { get; }

    /// <summary>Gets when the task was queued.</summary>
    public DateTimeOffset CreatedAt { get; }
}
