using IntegrationBus.Model;
using IntegrationBus.Storage;
using IntegrationBus.Translation;
using Microsoft.Extensions.Logging;

namespace IntegrationBus.Outgoing;

/// <summary>
/// Turns a scope's pending changes into task rows: payloads with translation records (SimpleSnapshot) and
/// children and bindings (Snapshot), reading referenced objects with one data-source call per type.
/// </summary>
internal sealed class SnapshotBuilder(ObjectTypeRegistry types, IObjectDataSource? dataSource, ILogger logger)
{
    public async Task<List<NewIntegrationTask>> BuildAsync(IReadOnlyList<PendingChange> changes, CancellationToken cancellationToken)
    {
        var tasks = new List<NewIntegrationTask>(changes.Count);
        Lookup? lookup = null;
        foreach (var change in changes)
        {
            if (change.DataType != DataType.Simple && lookup is null)
            {
                lookup = await LoadAsync(changes, cancellationToken).ConfigureAwait(false);
            }

            var snapshot = change.DataType switch
            {
                DataType.Simple => new ObjectSnapshot(change.Object),
                DataType.SimpleSnapshot => WithReferences(change.Object, lookup!),
                _ => WithChildren(change.Object, lookup!),
            };
            tasks.Add(new NewIntegrationTask(
                change.TaskGuid,
                TaskDirection.Outgoing,
                change.TaskType,
                change.DataType,
                change.Object.TypeName,
                change.Object.GetInt64(change.Object.Type.IdField),
                change.Object.Site,
                TaskPayload.Serialize(snapshot, change.DataType),
                change.CreatedAt,
                change.Connectors));
        }

        return tasks;
    }

    private ObjectSnapshot WithReferences(BusObject obj, Lookup lookup)
    {
        Dictionary<string, TranslationRecord>? references = null;
        foreach (var key in obj.Type.ForeignKeys)
        {
            if (obj.GetInt64(key.Field) is not { } id)
            {
                continue;
            }

            references ??= new Dictionary<string, TranslationRecord>(StringComparer.Ordinal);
            references[key.Field] = lookup.Record(types.Get(key.ReferencedType), id, key.Field);
        }

        return new ObjectSnapshot(obj, references);
    }

    private ObjectSnapshot WithChildren(BusObject obj, Lookup lookup)
    {
        var simple = WithReferences(obj, lookup);
        var children = new List<ObjectSnapshot>();
        foreach (var childType in types.GetChildTypes(obj.Type))
        {
            children.AddRange(lookup.ChildrenOf(childType, obj.Id).Select(child => WithReferences(child, lookup)));
        }

        var bindings = new List<ObjectSnapshot>();
        foreach (var bindingType in types.GetBindingTypes(obj.Type))
        {
            bindings.AddRange(lookup.ChildrenOf(bindingType, obj.Id).Select(binding => WithReferences(binding, lookup)));
        }

        return new ObjectSnapshot(obj, simple.References, children, bindings);
    }

    private async Task<Lookup> LoadAsync(IReadOnlyList<PendingChange> changes, CancellationToken cancellationToken)
    {
        var lookup = new Lookup(this);
        if (dataSource is null)
        {
            return lookup;
        }

        // Children and bindings first: their foreign keys need translation records too.
        var parentIds = new Dictionary<ObjectTypeInfo, HashSet<long>>();
        foreach (var change in changes)
        {
            if (change.DataType == DataType.Snapshot && change.Object.GetInt64(change.Object.Type.IdField) is { } id)
            {
                foreach (var childType in types.GetChildTypes(change.Object.Type).Concat(types.GetBindingTypes(change.Object.Type)))
                {
                    Add(parentIds, childType, id);
                }
            }
        }

        var withKeys = changes.Where(c => c.DataType != DataType.Simple).Select(c => c.Object).ToList();
        foreach (var (childType, ids) in parentIds)
        {
            var children = await dataSource.GetChildrenAsync(childType, ids, cancellationToken).ConfigureAwait(false);
            lookup.AddChildren(childType, children);
            withKeys.AddRange(children);
        }

        var referenced = new Dictionary<ObjectTypeInfo, HashSet<long>>();
        foreach (var obj in withKeys)
        {
            foreach (var key in obj.Type.ForeignKeys)
            {
                if (obj.GetInt64(key.Field) is { } id)
                {
                    Add(referenced, types.Get(key.ReferencedType), id);
                }
            }
        }

        var parents = await lookup.LoadObjectsAsync(dataSource, referenced, cancellationToken).ConfigureAwait(false);
        await lookup.LoadObjectsAsync(dataSource, parents, cancellationToken).ConfigureAwait(false);
        return lookup;
    }

    private static void Add(Dictionary<ObjectTypeInfo, HashSet<long>> map, ObjectTypeInfo type, long id)
    {
        if (!map.TryGetValue(type, out var ids))
        {
            ids = [];
            map[type] = ids;
        }

        ids.Add(id);
    }

    /// <summary>The objects read for one batch, by type and ID, and children by type and parent ID.</summary>
    private sealed class Lookup(SnapshotBuilder owner)
    {
        private readonly Dictionary<(string Type, long Id), BusObject> _objects = [];
        private readonly Dictionary<(string Type, long ParentId), List<BusObject>> _children = [];

        public void AddChildren(ObjectTypeInfo type, IReadOnlyList<BusObject> children)
        {
            foreach (var child in children)
            {
                if (child.ParentId is { } parentId)
                {
                    var key = (type.Name, parentId);
                    if (!_children.TryGetValue(key, out var list))
                    {
                        list = [];
                        _children[key] = list;
                    }

                    list.Add(child.Clone());
                }
            }
        }

        public List<BusObject> ChildrenOf(ObjectTypeInfo type, long parentId) =>
            _children.TryGetValue((type.Name, parentId), out var list) ? list : [];

        /// <summary>Reads the objects; returns the parents of the objects read, still to read.</summary>
        public async Task<Dictionary<ObjectTypeInfo, HashSet<long>>> LoadObjectsAsync(
            IObjectDataSource source, Dictionary<ObjectTypeInfo, HashSet<long>> wanted, CancellationToken cancellationToken)
        {
            var parents = new Dictionary<ObjectTypeInfo, HashSet<long>>();
            foreach (var (type, ids) in wanted)
            {
                ids.RemoveWhere(id => _objects.ContainsKey((type.Name, id)));
                if (ids.Count == 0)
                {
                    continue;
                }

                foreach (var found in await source.GetObjectsAsync(type, ids, cancellationToken).ConfigureAwait(false))
                {
                    _objects[(type.Name, found.Id)] = found;
                    if (type.ParentType is not null && found.ParentId is { } parentId)
                    {
                        Add(parents, owner.ParentTypeOf(type), parentId);
                    }
                }
            }

            return parents;
        }

        public TranslationRecord Record(ObjectTypeInfo type, long id, string field, bool withParent = true)
        {
            if (!_objects.TryGetValue((type.Name, id), out var obj))
            {
                if (owner.HasDataSource && withParent)
                {
                    Log.ReferenceNotFound(owner.Logger, type.Name, id, field);
                }

                return new TranslationRecord(type.Name, id);
            }

            TranslationRecord? parent = null;
            if (withParent && type.ParentType is not null && obj.ParentId is { } parentId)
            {
                parent = Record(owner.ParentTypeOf(type), parentId, type.ParentIdField!, withParent: false);
            }

            return type.IsPage
                ? new TranslationRecord(type.Name, id, obj.NodeGuid ?? obj.Guid, obj.AliasPath, obj.Site, parent)
                : new TranslationRecord(type.Name, id, obj.Guid, obj.CodeName, obj.Site, parent);
        }
    }

    private bool HasDataSource => dataSource is not null;

    private ILogger Logger => logger;

    private ObjectTypeInfo ParentTypeOf(ObjectTypeInfo type) => types.Get(type.ParentType!);
}
