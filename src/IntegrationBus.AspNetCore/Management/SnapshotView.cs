namespace IntegrationBus.AspNetCore.Management;

/// <summary>An <see cref="ObjectSnapshot"/> as JSON: the object's type and fields, the translation records of its foreign keys, its children and bindings.</summary>
/// <param name="ObjectType">The object type's name.</param>
/// <param name="Fields">The field values.</param>
/// <param name="References">The translation records by foreign key field.</param>
/// <param name="Children">The child objects.</param>
/// <param name="Bindings">The binding objects.</param>
internal sealed record SnapshotView(
    string ObjectType,
    IReadOnlyDictionary<string, object?> Fields,
    IReadOnlyDictionary<string, TranslationRecord> References,
    IReadOnlyList<SnapshotView> Children,
    IReadOnlyList<SnapshotView> Bindings)
{
    public static SnapshotView From(ObjectSnapshot snapshot) => new(
        snapshot.Object.TypeName,
        snapshot.Object.Fields,
        snapshot.References,
        [.. snapshot.Children.Select(From)],
        [.. snapshot.Bindings.Select(From)]);
}
