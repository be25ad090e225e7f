namespace IntegrationBus.Storage;

/// <summary>The internal side of an ID-map entry within one connector: an object type and an object's GUID (a page's node GUID).</summary>
/// <param name="ObjectType">The object (or page) type name, as registered.</param>
/// <param name="ObjectGuid">The object's GUID.</param>
public readonly record struct IdMapKey(string ObjectType, Guid ObjectGuid);
