
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

    /// <summary>Gets, for incoming tasks, the connector the change came from.</summary>
    public string? OriginConnector { get; init; }

    /// <summary>Gets, for incoming tasks, the failure policy.</summary>
    public IncomingPolicy Policy { get; init; }

    /// <summary>Gets the W3C <c>traceparent</c> of the activity that logged the change, to link processing to it.</summary>
    public string? TraceParent { get; init; }

    /// <summary>Gets the W3C <c>tracestate</c> that goes with <see cref="TraceParent"/>.</summary>
    public string? TraceState { get; init; }
}
