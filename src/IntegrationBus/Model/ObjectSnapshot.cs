
namespace IntegrationBus;

/// <summary>
/// An object as a task carries it: its fields, the translation records of its foreign keys (SimpleSnapshot and
/// Snapshot) and, for a Snapshot, its children and bindings with their own records.
/// </summary>
public sealed class ObjectSnapshot
{
    private static readonly IReadOnlyDictionary<string, TranslationRecord> NoReferences =
        new Dictionary<string, TranslationRecord>(StringComparer.Ordinal);

    /// <summary>Creates a snapshot.</summary>
    /// <param name="obj">The object.</param>
    /// <param name="references">Translation records by foreign key field.</param>
    /// <param name="children">Child objects (Snapshot only).</param>
    /// <param name="bindings">Binding objects (Snapshot only).</param>
    public ObjectSnapshot(
        BusObject obj,
        IReadOnlyDictionary<string, TranslationRecord>? references = null,
        IReadOnlyList<ObjectSnapshot>? children = null,
        IReadOnlyList<ObjectSnapshot>? bindings = null)
    {
        ArgumentNullException.ThrowIfNull(obj);
        Object = obj;
        References = references ?? NoReferences;
        Children = children ?? [];
        Bindings = bindings ?? [];
    }

    /// <summary>Gets the object.</summary>
    public BusObject Object { get; }

    /// <summary>Gets the translation records by foreign key field (empty for Simple).</summary>
    public IReadOnlyDictionary<string, TranslationRecord> References { get; }

    /// <summary>Gets the child objects (empty unless Snapshot).</summary>
    public IReadOnlyList<ObjectSnapshot> Children { get; }

    /// <summary>Gets the binding objects (empty unless Snapshot).</summary>
    public IReadOnlyList<ObjectSnapshot> Bindings { get; }
}
