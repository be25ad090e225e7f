
namespace IntegrationBus.Storage;

/// <summary>A task to append: one change in one data type, for one or more connectors.</summary>
public sealed record NewIntegrationTask
{
    /// <summary>Gets the task's stable GUID; connectors can use it as an idempotency key.</summary>
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

    /// <summary>Gets the object's GUID (a page's node GUID), when it has one; operators search by it.</summary>
    public Guid? ObjectGuid { get; init; }

    /// <summary>Gets the object's code name (a page's alias path), when it has one; operators search by it.</summary>
    public string? ObjectCodeName { get; init; }

    /// <summary>Gets the object's display name, when it has one; operators search by it.</summary>
    public string? ObjectDisplayName { get; init; }

    /// <summary>Gets the object's site, or <see langword="null"/> when global.</summary>
    public string? Site { get; init; }

    /// <summary>Gets the versioned JSON payload.</summary>
    public required string Payload { get; init; }

    /// <summary>Gets when the change was logged.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>Gets the connectors that get a synchronization row.</summary>
    public required IReadOnlyList<string> Connectors { get; init; }

    /// <summary>
    /// Gets the task's ordering key for each connector of <see cref="Connectors"/> (same count and order), for the
    /// connectors that order their queue per key (<see cref="Ordering.PerObject"/>); an entry is <see langword="null"/> for
    /// a connector with connector-wide ordering.
    /// </summary>
    /// <value><see langword="null"/> (the default): no connector of the task has a key.</value>
    public IReadOnlyList<string?>? OrderingKeys { get; init; }

    /// <summary>Gets, for incoming tasks, the connector the change came from.</summary>
    public string? OriginConnector { get; init; }

    /// <summary>Gets, for incoming tasks, the failure policy.</summary>
    public IncomingPolicy Policy { get; init; }

    /// <summary>Gets the W3C <c>traceparent</c> of the activity that logged the change, to link processing to it.</summary>
    public string? TraceParent { get; init; }

    /// <summary>Gets the W3C <c>tracestate</c> that goes with <see cref="TraceParent"/>.</summary>
    public string? TraceState { get; init; }

    /// <summary>
    /// Checks the task before a store writes anything (every store calls this for each task of a batch, so an invalid
    /// batch writes nothing): a type name, a payload, defined enum values and at least one connector, each listed once.
    /// </summary>
    /// <exception cref="ArgumentException">The task is invalid; the message names it and what to change.</exception>
    public void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(ObjectType, "task");
        ArgumentNullException.ThrowIfNull(Payload, "task");
        ArgumentNullException.ThrowIfNull(Connectors, "task");
        if (!Enum.IsDefined(Direction) || !Enum.IsDefined(TaskType) || !Enum.IsDefined(DataType) || !Enum.IsDefined(Policy))
        {
            throw new ArgumentException(
                $"Task {Guid} for object type '{ObjectType}' has an undefined direction ({(int)Direction}), task type ({(int)TaskType}), data type ({(int)DataType}) or policy ({(int)Policy}); use the enums' named values.",
                "task");
        }

        if (OrderingKeys is not null && OrderingKeys.Count != Connectors.Count)
        {
            throw new ArgumentException(
                $"Task {Guid} for object type '{ObjectType}' has {OrderingKeys.Count} ordering keys for {Connectors.Count} connectors; give one per connector (null where the connector has none), or none at all.",
                "task");
        }

        if (Connectors.Count == 0)
        {
            throw new ArgumentException($"Task {Guid} for object type '{ObjectType}' has no connector; every task needs at least one.", "task");
        }

        for (var i = 0; i < Connectors.Count; i++)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(Connectors[i], "task");
            for (var j = 0; j < i; j++)
            {
                if (string.Equals(Connectors[i], Connectors[j], StringComparison.OrdinalIgnoreCase))
                {
                    throw new ArgumentException($"Task {Guid} lists connector '{Connectors[i]}' twice; list each connector once.", "task");
                }
            }
        }
    }
}
