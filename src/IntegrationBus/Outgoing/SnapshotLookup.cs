using Microsoft.Extensions.Logging;

namespace IntegrationBus;

/// <summary>
/// The objects read for one batch of changes, and the plan of what to read next: children and bindings first
/// (their foreign keys need records too), then referenced objects, then the parents of those. Each step asks
/// for every ID of a type at once.
/// </summary>
internal sealed class SnapshotLookup(ObjectTypeRegistry types, bool hasDataSource, ILogger logger)
{
    private readonly Dictionary<(string Type, long Id), BusObject> _objects = [];
    private readonly Dictionary<(string Type, long ParentId), List<BusObject>> _children = [];
    private Stage _stage;

    private enum Stage
    {
        Children,
        References,
        Parents,
        Done,
    }

    /// <summary>Gives the next reads to make, or an empty list when everything is read.</summary>
    public List<SnapshotRequest> Next(IReadOnlyList<PendingChange> changes)
    {
        while (_stage != Stage.Done)
        {
            var requests = _stage switch
            {
                Stage.Children => ChildRequests(changes),
                Stage.References => ReferenceRequests(changes),
                _ => ParentRequests(),
            };
            _stage++;
            if (requests.Count > 0)
            {
                return requests;
            }
        }

        return [];
    }

    public void Accept(SnapshotRequest request, IReadOnlyList<BusObject> found)
    {
        foreach (var obj in found)
        {
            if (request.Children)
            {
                if (obj.ParentId is { } parentId)
                {
                    var key = (request.Type.Name, parentId);
                    if (!_children.TryGetValue(key, out var list))
                    {
                        list = [];
                        _children[key] = list;
                    }

                    list.Add(obj.Clone());
                }
            }
            else
            {
                _objects[(request.Type.Name, obj.Id)] = obj;
            }
        }
    }

    public List<BusObject> ChildrenOf(ObjectTypeInfo type, long parentId) =>
        _children.TryGetValue((type.Name, parentId), out var list) ? list : [];

    public TranslationRecord Record(ObjectTypeInfo type, long id, string field, bool withParent = true)
    {
        if (!_objects.TryGetValue((type.Name, id), out var obj))
        {
            if (hasDataSource && withParent)
            {
                OutgoingLog.ReferenceNotFound(logger, type.Name, id, field);
            }

            return new TranslationRecord(type.Name, id);
        }

        TranslationRecord? parent = null;
        if (withParent && type.ParentType is not null && obj.ParentId is { } parentId)
        {
            parent = Record(types.Get(type.ParentType), parentId, type.ParentIdField!, withParent: false);
        }

        return type.IsPage
            ? new TranslationRecord(type.Name, id, obj.NodeGuid ?? obj.Guid, obj.AliasPath, obj.Site, parent)
            : new TranslationRecord(type.Name, id, obj.Guid, obj.CodeName, obj.Site, parent);
    }

    private List<SnapshotRequest> ChildRequests(IReadOnlyList<PendingChange> changes)
    {
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

        return [.. parentIds.Select(p => new SnapshotRequest(p.Key, p.Value, Children: true))];
    }

    private List<SnapshotRequest> ReferenceRequests(IReadOnlyList<PendingChange> changes)
    {
        var wanted = new Dictionary<ObjectTypeInfo, HashSet<long>>();
        var objects = changes.Where(c => c.DataType != DataType.Simple).Select(c => c.Object).Concat(_children.Values.SelectMany(c => c));
        foreach (var obj in objects)
        {
            foreach (var key in obj.Type.ForeignKeys)
            {
                if (obj.GetInt64(key.Field) is { } id)
                {
                    Add(wanted, types.Get(key.ReferencedType), id);
                }
            }
        }

        return Requests(wanted);
    }

    private List<SnapshotRequest> ParentRequests()
    {
        var wanted = new Dictionary<ObjectTypeInfo, HashSet<long>>();
        foreach (var ((typeName, _), obj) in _objects)
        {
            var type = types.Get(typeName);
            if (type.ParentType is not null && obj.ParentId is { } parentId)
            {
                Add(wanted, types.Get(type.ParentType), parentId);
            }
        }

        return Requests(wanted);
    }

    private List<SnapshotRequest> Requests(Dictionary<ObjectTypeInfo, HashSet<long>> wanted)
    {
        var requests = new List<SnapshotRequest>();
        foreach (var (type, ids) in wanted)
        {
            ids.RemoveWhere(id => _objects.ContainsKey((type.Name, id)));
            if (ids.Count > 0)
            {
                requests.Add(new SnapshotRequest(type, ids, Children: false));
            }
        }

        return requests;
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
}
