
namespace IntegrationBus;

/// <summary>An outgoing task as a connector receives it: a disconnected copy, safe to change.</summary>
public sealed class OutgoingTask
{
    internal OutgoingTask(
        long id,
        Guid guid,
        TaskType taskType,
        DataType dataType,
        ObjectSnapshot snapshot,
        DateTimeOffset createdAt,
        int attempt,
        TranslationCache translations,
        ExternalId? externalId = null)
    {
        Id = id;
        Guid = guid;
        TaskType = taskType;
        DataType = dataType;
        Snapshot = snapshot;
        CreatedAt = createdAt;
        Attempt = attempt;
        Translations = translations;
        ExternalId = externalId;
    }

    /// <summary>Gets the task ID (ascending in queue order).</summary>
    public long Id { get; }

    /// <summary>Gets the task's stable GUID; use it as an idempotency key in the external system.</summary>
    public Guid Guid { get; }

    /// <summary>Gets the operation.</summary>
    public TaskType TaskType { get; }

    /// <summary>Gets how much of the object the task carries.</summary>
    public DataType DataType { get; }

    /// <summary>Gets the object with its translation records, children and bindings.</summary>
    public ObjectSnapshot Snapshot { get; }

    /// <summary>Gets the object.</summary>
    public BusObject Object => Snapshot.Object;

    /// <summary>Gets the object's site, or <see langword="null"/> when global.</summary>
    public string? Site => Snapshot.Object.Site;

    /// <summary>Gets when the change was logged.</summary>
    public DateTimeOffset CreatedAt { get; }

    /// <summary>Gets which attempt this is: 1 the first time, more after recorded errors.</summary>
    public int Attempt { get; }

    /// <summary>Gets the external system's ID of the object, from this connector's ID map.</summary>
    /// <remarks>
    /// Set when an earlier task for the object (same type and GUID) was acknowledged with
    /// <see cref="TaskResult.OkWithExternalId"/>, so updates and deletes can address the external object. Read once per
    /// batch, before the batch is handed to the connector: a create and an update of one object in the same batch give
    /// the update no ID yet.
    /// </remarks>
    /// <value><see langword="null"/> when the map has no entry (or the object has no GUID).</value>
    public ExternalId? ExternalId { get; }

    internal TranslationCache Translations { get; }
}
