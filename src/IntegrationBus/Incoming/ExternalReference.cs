
namespace IntegrationBus;

/// <summary>A foreign key of an incoming object that still holds the external system's ID.</summary>
/// <param name="Object">The object that holds the key.</param>
/// <param name="Field">The foreign key field.</param>
/// <param name="ExternalId">The external ID the field holds.</param>
/// <param name="ReferencedType">The internal type the key references.</param>
public sealed record ExternalReference(BusObject Object, string Field, object ExternalId, ObjectTypeInfo ReferencedType);
