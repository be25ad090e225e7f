
namespace IntegrationBus.Storage;

/// <summary>What a stored task is about (without its payload), as management lists show it.</summary>
public sealed record IntegrationTaskInfo
{
    /// <summary>Gets the task ID.</summary>
    public required long Id { get; init; }

    /// <summary>Gets the task's stable GUID.</summary>
    public required Guid Guid { get; init; }

    /// <summary>Gets the direction.</summary>
    public required TaskDirection Direction { get; init; }

    /// <summary>Gets the operation.</summary>
    public required TaskType TaskType { get; init; }

    /// <summary>Gets the data type.</summary>
    public required DataType DataType { get; init; }

    /// <summary>Gets the object (or page) type name.</summary>
    public required string ObjectType { get; init; }

    /// <summary>Gets the object's ID.</summary>
    public long? ObjectId { get; init; }

    /// <summary>Gets the object's GUID (a page's node GUID).</summary>
    public Guid? ObjectGuid { get; init; }

    /// <summary>Gets the object's code name (a page's alias path).</summary>
    public string? ObjectCodeName { get; init; }

    /// <summary>Gets the object's display name.</summary>
    public string? ObjectDisplayName { get; init; }

    /// <summary>Gets the site.</summary>
    public string? Site { get; init; }

    /// <summary>Gets when the change was logged.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>Gets, for incoming tasks, the connector the change came from.</summary>
    public string? OriginConnector { get; init; }

    /// <summary>Gets, for incoming tasks, the failure policy.</summary>
    public IncomingPolicy Policy { get; init; }
}
