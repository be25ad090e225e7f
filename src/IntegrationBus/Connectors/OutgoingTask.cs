
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
        TranslationCache translations)
    {
        Id = id;
        Guid = guid;
        TaskType = taskType;
        DataType = dataType;
        Snapshot = snapshot;
        CreatedAt = createdAt;
        Attempt = attempt;
        Translations = translations;
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

    internal TranslationCache Translations { get; }
}
