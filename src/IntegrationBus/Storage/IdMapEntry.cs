namespace IntegrationBus.Storage;

/// <summary>One entry of the ID map: which external ID one connector's system gave one internal object.</summary>
/// <remarks>
/// Unique per (connector, object type, object GUID) and per (connector, object type, external ID text). Entries are not
/// purged by retention: they live as long as the object, and go when the connector acknowledges the object's delete
/// (or an operator deletes them).
/// </remarks>
public sealed record IdMapEntry
{
    /// <summary>Gets the entry's ID, ascending in the order entries were first written; the position <see cref="IdMapQuery.After"/> pages by. 0 for an entry not stored yet.</summary>
    public long Id { get; init; }

    /// <summary>Gets the connector's code name.</summary>
    public required string Connector { get; init; }

    /// <summary>Gets the object (or page) type name.</summary>
    public required string ObjectType { get; init; }

    /// <summary>Gets the object's GUID (a page's node GUID).</summary>
    public required Guid ObjectGuid { get; init; }

    /// <summary>Gets the object's internal ID, when the task that created the entry had one.</summary>
    public long? ObjectId { get; init; }

    /// <summary>Gets the external system's ID of the object, in the form the connector reported it.</summary>
    public required ExternalId ExternalId { get; init; }

    /// <summary>Gets when the entry was first written.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>Gets when the entry was last written.</summary>
    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>Gets the internal side of the entry.</summary>
    public IdMapKey Key => new(ObjectType, ObjectGuid);
}
