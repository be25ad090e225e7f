using IntegrationBus.Storage;

namespace IntegrationBus.Cli.Client;

/// <summary>One ID-map entry in the management API's shape: the external ID as text with its kind.</summary>
/// <param name="Id">The entry's ID (the paging position).</param>
/// <param name="Connector">The connector.</param>
/// <param name="ObjectType">The object type.</param>
/// <param name="ObjectGuid">The object's GUID.</param>
/// <param name="ObjectId">The object's internal ID, when known.</param>
/// <param name="ExternalId">The external ID's text.</param>
/// <param name="ExternalIdKind">Whether the external ID is an integer, a string or a GUID.</param>
/// <param name="CreatedAt">When the entry was first written.</param>
/// <param name="UpdatedAt">When the entry was last written.</param>
internal sealed record IdMapRow(
    long Id, string Connector, string ObjectType, Guid ObjectGuid, long? ObjectId, string ExternalId, ExternalIdKind ExternalIdKind, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    /// <summary>Converts a stored entry.</summary>
    public static IdMapRow From(IdMapEntry entry) => new(
        entry.Id, entry.Connector, entry.ObjectType, entry.ObjectGuid, entry.ObjectId, entry.ExternalId.ToString(), entry.ExternalId.Kind, entry.CreatedAt, entry.UpdatedAt);
}
