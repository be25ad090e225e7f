using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationBus.EntityFrameworkCore;

/// <summary>
/// Applies incoming tasks to the application's data through <typeparamref name="TContext"/>: creates, updates and
/// deletes objects and pages (with a Snapshot's children). Each task runs in its own context and SaveChanges, so
/// the bus's interceptor sees it as an incoming change and suppresses outgoing tasks unless the connector relays.
/// </summary>
/// <typeparam name="TContext">The application's DbContext.</typeparam>
public sealed class EntityFrameworkDataHandler<TContext> : IInternalDataHandler
    where TContext : DbContext
{
    private readonly IServiceScopeFactory _scopes;
    private readonly EntityModel _model;

    internal EntityFrameworkDataHandler(IServiceScopeFactory scopes, EntityModel model)
    {
        _scopes = scopes;
        _model = model;
    }

    /// <inheritdoc />
    public async Task<long?> FindObjectIdAsync(ObjectLookup lookup, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lookup);
        if (_model.Find(lookup.Type.Name) is not { } mapping)
        {
            return null;
        }

        var type = mapping.Type;
        var conditions = new List<(string, object?)>();
        if (lookup.Guid is { } guid)
        {
            var field = type.Page?.NodeGuidField ?? type.GuidField;
            if (field is null)
            {
                return null;
            }

            conditions.Add(Condition(mapping, field, guid));
        }
        else if (lookup.CodeName is { } codeName)
        {
            var field = type.Page?.AliasPathField ?? type.CodeNameField;
            if (field is null)
            {
                return null;
            }

            conditions.Add(Condition(mapping, field, codeName));
            if (type.SiteField is { } site)
            {
                conditions.Add(Condition(mapping, site, lookup.Site));
            }

            if (lookup.ParentId is { } parentId && type.ParentIdField is { } parentField)
            {
                conditions.Add(Condition(mapping, parentField, parentId));
            }
        }
        else
        {
            return null;
        }

        var scope = _scopes.CreateAsyncScope();
        await using (scope.ConfigureAwait(false))
        {
            var context = scope.ServiceProvider.GetRequiredService<TContext>();
            var found = await EntityQueries.WhereEqualAsync(context, mapping.EntityType, conditions, cancellationToken).ConfigureAwait(false);
            return found.Count == 0 ? null : mapping.FromEntity(found[0]).Id;
        }
    }

    /// <inheritdoc />
    public async Task<TaskResult> ApplyAsync(IncomingTask task, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(task);
        if (_model.Find(task.Object.TypeName) is not { } mapping)
        {
            return TaskResult.Error($"Object type '{task.Object.TypeName}' is not an entity of {typeof(TContext).Name}; configure it in AddEntityFrameworkCore.");
        }

        var scope = _scopes.CreateAsyncScope();
        await using (scope.ConfigureAwait(false))
        {
            var context = scope.ServiceProvider.GetRequiredService<TContext>();
            var result = task.TaskType switch
            {
                TaskType.DeleteObject or TaskType.DeletePage => await DeleteAsync(context, mapping, task.ExistingObjectId, cancellationToken).ConfigureAwait(false),
                TaskType.DeleteAllCultures => await DeleteAllCulturesAsync(context, mapping, task.Object, cancellationToken).ConfigureAwait(false),
                TaskType.CreateObject or TaskType.CreatePage or TaskType.UpdateObject or TaskType.UpdatePage
                    => await UpsertAsync(context, mapping, task.Snapshot, task.ExistingObjectId, cancellationToken).ConfigureAwait(false),
                _ when task.ExistingObjectId is null => TaskResult.Error($"{task.TaskType} of {task.Object} failed: the {mapping.Type.Name} does not exist in the application."),
                _ => await UpsertAsync(context, mapping, task.Snapshot, task.ExistingObjectId, cancellationToken).ConfigureAwait(false),
            };
            return result;
        }
    }

    private async Task<TaskResult> UpsertAsync(TContext context, EntityMapping mapping, ObjectSnapshot snapshot, long? existingId, CancellationToken cancellationToken)
    {
        var entity = existingId is { } id ? await FindAsync(context, mapping, id, cancellationToken).ConfigureAwait(false) : null;
        var entry = entity is null ? context.Entry(context.Add(Create(mapping)).Entity) : context.Entry(entity);
        mapping.ApplyTo(entry, snapshot.Object);
        await context.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        var parentId = entry.CurrentValues[mapping.Type.IdField];
        foreach (var child in snapshot.Children)
        {
            if (_model.Find(child.Object.TypeName) is not { Type.ParentIdField: { } parentField } childMapping)
            {
                continue;
            }

            var parent = Convert.ToInt64(parentId, System.Globalization.CultureInfo.InvariantCulture);
            child.Object[parentField] = parent;
            var childId = await ReferenceResolver.FindExistingAsync(this, child.Object, parent, cancellationToken).ConfigureAwait(false);
            var childEntity = childId is { } cid ? await FindAsync(context, childMapping, cid, cancellationToken).ConfigureAwait(false) : null;
            var childEntry = childEntity is null ? context.Entry(context.Add(Create(childMapping)).Entity) : context.Entry(childEntity);
            childMapping.ApplyTo(childEntry, child.Object);
        }

        await context.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return TaskResult.Ok;
    }

    private static async Task<TaskResult> DeleteAsync(TContext context, EntityMapping mapping, long? existingId, CancellationToken cancellationToken)
    {
        // Deleting what is already gone succeeds: the external system and the application agree.
        if (existingId is { } id && await FindAsync(context, mapping, id, cancellationToken).ConfigureAwait(false) is { } entity)
        {
            context.Remove(entity);
            await context.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }

        return TaskResult.Ok;
    }

    private static async Task<TaskResult> DeleteAllCulturesAsync(TContext context, EntityMapping mapping, BusObject page, CancellationToken cancellationToken)
    {
        if (mapping.Type.Page is not { } pageInfo || page.NodeGuid is not { } node)
        {
            return TaskResult.Error($"DeleteAllCultures needs a page with a node GUID; '{mapping.Type.Name}' {(mapping.Type.IsPage ? "sent none" : "is not a page type")}.");
        }

        var rows = await EntityQueries.WhereEqualAsync(context, mapping.EntityType, [Condition(mapping, pageInfo.NodeGuidField, node)], cancellationToken).ConfigureAwait(false);
        foreach (var row in rows)
        {
            context.Remove(row);
        }

        await context.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return TaskResult.Ok;
    }

    private static async Task<object?> FindAsync(TContext context, EntityMapping mapping, long id, CancellationToken cancellationToken)
    {
        var key = ClrValue.Convert(id, mapping.IdProperty.ClrType, mapping.Name, mapping.IdProperty.Name);
        return await context.FindAsync(mapping.EntityType.ClrType, [key], cancellationToken).ConfigureAwait(false);
    }

    private static object Create(EntityMapping mapping) =>
        Activator.CreateInstance(mapping.EntityType.ClrType)
            ?? throw new IntegrationBusException($"Entity '{mapping.Name}' needs a parameterless constructor to be created from an incoming task.");

    private static (string, object?) Condition(EntityMapping mapping, string field, object? value)
    {
        var property = mapping.Properties.Single(p => p.Name == field);
        return (field, ClrValue.Convert(value, property.ClrType, mapping.Name, field));
    }
}
