namespace IntegrationBus;

/// <summary>A field of an object type that holds the ID of another object.</summary>
/// <param name="Field">The field that holds the referenced object's ID.</param>
/// <param name="ReferencedType">The name of the referenced object or page type.</param>
/// <param name="IsRequired">
/// Whether the reference must be translated for the task to succeed. A required key that cannot be translated
/// fails the task; an optional one is left as it was.
/// </param>
public sealed record ForeignKeyInfo(string Field, string ReferencedType, bool IsRequired);
