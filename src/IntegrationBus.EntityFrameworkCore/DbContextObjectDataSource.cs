using Microsoft.EntityFrameworkCore;

namespace IntegrationBus.EntityFrameworkCore;

/// <summary>Reads referenced objects, children and bindings through one DbContext (inside its transaction, so it sees the unit of work's own rows).</summary>
internal sealed class DbContextObjectDataSource(DbContext context, EntityModel model) : IObjectDataSource, ISynchronousObjectDataSource
{
    public async Task<IReadOnlyList<BusObject>> GetObjectsAsync(ObjectTypeInfo type, IReadOnlyCollection<long> ids, CancellationToken cancellationToken)
    {
        if (model.Find(type.Name) is not { } mapping)
        {
            return [];
        }

        var entities = await EntityQueries.WhereInAsync(context, mapping.EntityType, type.IdField, ids, cancellationToken).ConfigureAwait(false);
        return [.. entities.Select(mapping.FromEntity)];
    }

    public async Task<IReadOnlyList<BusObject>> GetChildrenAsync(ObjectTypeInfo childType, IReadOnlyCollection<long> parentIds, CancellationToken cancellationToken)
    {
        if (MappingOf(childType) is not { } mapping || childType.ParentIdField is null)
        {
            return [];
        }

        var entities = await EntityQueries.WhereInAsync(context, mapping.EntityType, childType.ParentIdField, parentIds, cancellationToken).ConfigureAwait(false);
        return [.. entities.Select(mapping.FromEntity)];
    }

    public IReadOnlyList<BusObject> GetObjects(ObjectTypeInfo type, IReadOnlyCollection<long> ids) =>
        model.Find(type.Name) is { } mapping
            ? [.. EntityQueries.WhereIn(context, mapping.EntityType, type.IdField, ids).Select(mapping.FromEntity)]
            : [];

    public IReadOnlyList<BusObject> GetChildren(ObjectTypeInfo childType, IReadOnlyCollection<long> parentIds) =>
        MappingOf(childType) is { } mapping && childType.ParentIdField is { } parentField
            ? [.. EntityQueries.WhereIn(context, mapping.EntityType, parentField, parentIds).Select(mapping.FromEntity)]
            : [];

    private EntityMapping? MappingOf(ObjectTypeInfo type) => model.Find(type.Name) ?? model.FindBinding(type.Name)?.Join;
}
