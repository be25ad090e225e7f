
using System.Collections.Concurrent;

namespace IntegrationBus;

/// <summary>External IDs already looked up during one run of one connector (safe for the parallel calls of per-object ordering).</summary>
internal sealed class TranslationCache(ObjectTypeRegistry registry)
{
    private readonly ConcurrentDictionary<(string Type, long Id, bool Page), ExternalId?> _ids = new();

    public ObjectTypeRegistry Registry { get; } = registry;

    public bool TryGet(TranslationRecord record, bool page, out ExternalId? id) =>
        _ids.TryGetValue((record.ObjectType.ToUpperInvariant(), record.Id, page), out id);

    public void Add(TranslationRecord record, bool page, ExternalId? id) =>
        _ids[(record.ObjectType.ToUpperInvariant(), record.Id, page)] = id;

    /// <summary>Sets what a task of this run taught about an object (its create was acknowledged with an external ID, or its delete).</summary>
    public void Set(string objectType, long objectId, bool page, ExternalId? id) =>
        _ids[(objectType.ToUpperInvariant(), objectId, page)] = id;
}
