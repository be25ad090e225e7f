using IntegrationBus.Storage;

namespace IntegrationBus.AspNetCore.Management;

/// <summary>One ID-map entry as the management API writes it: the external ID as text with its kind.</summary>
/// <param name="Id">The entry's ID (the paging position).</param>
/// <param name="Connector">The connector.</param>
/// <param name="ObjectType">The object type.</param>
/// <param name="ObjectGuid">The object's GUID.</param>
/// <param name="ObjectId">The object's internal ID, when known.</param>
/// <param name="ExternalId">The external ID's text.</param>
/// <param name="ExternalIdKind">Whether the external ID is an integer, a string or a GUID.</param>
/// <param name="CreatedAt">When the entry was first written.</param>
/// <param name="UpdatedAt">When the entry was last written.</param>
internal sealed record IdMapEntryView(
    long Id, string Connector, string ObjectType, Guid ObjectGuid, long? ObjectId, string ExternalId, ExternalIdKind ExternalIdKind, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static IdMapEntryView From(IdMapEntry entry) => new(
        entry.Id, entry.Connector, entry.ObjectType, entry.ObjectGuid, entry.ObjectId, entry.ExternalId.ToString(), entry.ExternalId.Kind, entry.CreatedAt, entry.UpdatedAt);
}
