using IntegrationBus.Storage;
using Microsoft.Extensions.Logging;

namespace IntegrationBus;

/// <summary>
/// Turns a unit of work's pending changes into task rows: payloads with translation records (SimpleSnapshot) and
/// children and bindings (Snapshot), reading what they need with one data-source call per type and step.
/// </summary>
internal sealed class SnapshotBuilder(ObjectTypeRegistry types, IObjectDataSource? defaultSource, ILogger logger)
{
    public async Task<List<NewIntegrationTask>> BuildAsync(IReadOnlyList<PendingChange> changes, IObjectDataSource? source, CancellationToken cancellationToken)
    {
        var dataSource = source ?? defaultSource;
        var lookup = new SnapshotLookup(types, dataSource is not null, logger);
        if (dataSource is not null && changes.Any(c => c.DataType != DataType.Simple))
        {
            for (var requests = lookup.Next(changes); requests.Count > 0; requests = lookup.Next(changes))
            {
                foreach (var request in requests)
                {
                    var found = request.Children
                        ? await dataSource.GetChildrenAsync(request.Type, request.Ids, cancellationToken).ConfigureAwait(false)
                        : await dataSource.GetObjectsAsync(request.Type, request.Ids, cancellationToken).ConfigureAwait(false);
                    lookup.Accept(request, found);
                }
            }
        }

        return Build(changes, lookup);
    }

    /// <summary>Builds the task rows reading synchronously; only EF Core's synchronous <c>SaveChanges</c> needs this.</summary>
    public List<NewIntegrationTask> Build(IReadOnlyList<PendingChange> changes, ISynchronousObjectDataSource? source)
    {
        var lookup = new SnapshotLookup(types, source is not null, logger);
        if (source is not null && changes.Any(c => c.DataType != DataType.Simple))
        {
            for (var requests = lookup.Next(changes); requests.Count > 0; requests = lookup.Next(changes))
            {
                foreach (var request in requests)
                {
                    lookup.Accept(request, request.Children ? source.GetChildren(request.Type, request.Ids) : source.GetObjects(request.Type, request.Ids));
                }
            }
        }

        return Build(changes, lookup);
    }

    private List<NewIntegrationTask> Build(IReadOnlyList<PendingChange> changes, SnapshotLookup lookup)
    {
        var tasks = new List<NewIntegrationTask>(changes.Count);
        foreach (var change in changes)
        {
            var snapshot = change.DataType switch
            {
                DataType.Simple => new ObjectSnapshot(change.Object),
                DataType.SimpleSnapshot => WithReferences(change.Object, lookup),
                _ => WithChildren(change.Object, lookup),
            };
            var obj = change.Object;
            tasks.Add(new NewIntegrationTask
            {
                Guid = change.TaskGuid,
                Direction = TaskDirection.Outgoing,
                TaskType = change.TaskType,
                DataType = change.DataType,
                ObjectType = obj.TypeName,
                ObjectId = obj.GetInt64(obj.Type.IdField),
                ObjectGuid = obj.Type.IsPage ? obj.NodeGuid ?? obj.Guid : obj.Guid,
                ObjectCodeName = obj.Type.IsPage ? obj.AliasPath ?? obj.CodeName : obj.CodeName,
                ObjectDisplayName = obj.DisplayName,
                Site = obj.Site,
                Payload = TaskPayload.Serialize(snapshot, change.DataType),
                CreatedAt = change.CreatedAt,
                Connectors = change.Connectors.Length == 1 ? change.Connectors[0].NameAsList : [.. change.Connectors.Select(c => c.Name)],
                OrderingKeys = OrderingKeys.For(change.Connectors, snapshot, logger),
                TraceParent = change.Trace.Parent,
                TraceState = change.Trace.State,
            });
        }

        return tasks;
    }

    private ObjectSnapshot WithReferences(BusObject obj, SnapshotLookup lookup)
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

    private ObjectSnapshot WithChildren(BusObject obj, SnapshotLookup lookup)
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
}
