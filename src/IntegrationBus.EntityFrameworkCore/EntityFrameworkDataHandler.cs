using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationBus.EntityFrameworkCore;

/// <summary>
/// Applies incoming tasks to the application's data through <typeparamref name="TContext"/>: creates, updates and
/// deletes objects and pages (with a Snapshot's children). The bus's interceptor sees the changes as incoming and
/// suppresses outgoing tasks unless the connector relays.
/// </summary>
/// <remarks>
/// A run's tasks are applied in batches (<see cref="IInternalBatchDataHandler"/>): the look-ups of a batch take one
/// query per object type and kind (GUID, code name), and the batch is applied on a fresh <typeparamref name="TContext"/>
/// with one SaveChanges in one transaction, so memory stays flat however many tasks are applied. A batch that fails is
/// rolled back and its tasks applied one by one (<see cref="ApplyAsync"/>, each in its own context), so only a task that
/// fails on its own gets its policy.
/// </remarks>
/// <typeparam name="TContext">The application's DbContext.</typeparam>
public sealed class EntityFrameworkDataHandler<TContext> : IInternalBatchDataHandler
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
    public async Task<IReadOnlyList<long?>> FindObjectIdsAsync(IReadOnlyList<ObjectLookup> lookups, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lookups);
        var results = new long?[lookups.Count];
        var scope = _scopes.CreateAsyncScope();
        await using (scope.ConfigureAwait(false))
        {
            var context = scope.ServiceProvider.GetRequiredService<TContext>();
            var groups = lookups.Select((lookup, index) => (Lookup: lookup, Index: index))
                .Where(l => l.Lookup.Guid is not null || l.Lookup.CodeName is not null)
                .GroupBy(l => (l.Lookup.Type.Name, ByGuid: l.Lookup.Guid is not null));
            foreach (var group in groups)
            {
                if (_model.Find(group.Key.Name) is not { } mapping)
                {
                    continue;
                }

                var type = mapping.Type;
                var field = group.Key.ByGuid ? type.Page?.NodeGuidField ?? type.GuidField : type.Page?.AliasPathField ?? type.CodeNameField;
                if (field is null)
                {
                    continue;
                }

                // Only what the look-ups compare (ID, the looked-up value and, for code names, site and parent), by the
                // looked-up value, so that each look-up checks only its candidates (a code name may repeat across sites or parents).
                var columns = Columns(type, field, group.Key.ByGuid);
                var wanted = group.Select(l => Condition(mapping, field, group.Key.ByGuid ? l.Lookup.Guid : l.Lookup.CodeName).Value).Distinct().ToList();
                var rows = (await EntityQueries.SelectWhereInAsync(context, mapping.EntityType, field, wanted, columns, cancellationToken).ConfigureAwait(false))
                    .Where(row => row[1] is not null)
                    .ToLookup(row => row[1]!);
                foreach (var (lookup, index) in group)
                {
                    var value = Condition(mapping, field, group.Key.ByGuid ? lookup.Guid : lookup.CodeName).Value;
                    results[index] = value is null || rows[value].FirstOrDefault(row => Matches(mapping, row, columns, lookup)) is not { } match
                        ? null
                        : Convert.ToInt64(match[0], System.Globalization.CultureInfo.InvariantCulture);
                }
            }
        }

        return results;
    }

    /// <inheritdoc />
    public async Task ApplyBatchAsync(IReadOnlyList<IncomingTask> tasks, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        var scope = _scopes.CreateAsyncScope();
        await using (scope.ConfigureAwait(false))
        {
            var context = scope.ServiceProvider.GetRequiredService<TContext>();
            var transaction = await context.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                // The rows the batch changes, loaded (and tracked) in one query per type; Find then answers from the context.
                foreach (var group in tasks.Where(t => t.ExistingObjectId is not null).GroupBy(t => t.Object.TypeName, StringComparer.OrdinalIgnoreCase))
                {
                    if (_model.Find(group.Key) is { } mapping)
                    {
                        await EntityQueries.WhereInAsync(context, mapping.EntityType, mapping.IdProperty.Name, group.Select(t => (object?)t.ExistingObjectId!.Value).Distinct(), tracking: true, cancellationToken).ConfigureAwait(false);
                    }
                }

                // The handler changes entities only through the change tracker, so each Entry need not scan for changes
                // first; SaveChanges still detects changes once (as the application's own interceptors may expect).
                using (new AutoDetectChangesOff(context.ChangeTracker))
                {
                    foreach (var task in tasks)
                    {
                        var result = await ApplyOnAsync(context, task, save: false, cancellationToken).ConfigureAwait(false);
                        if (result.Kind != TaskResultKind.Ok)
                        {
                            throw new IntegrationBusException($"Incoming task {task.Id} was not applied ({result.Kind}): {result.Message}");
                        }
                    }
                }

                await context.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <inheritdoc />
    public async Task<TaskResult> ApplyAsync(IncomingTask task, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(task);
        var scope = _scopes.CreateAsyncScope();
        await using (scope.ConfigureAwait(false))
        {
            return await ApplyOnAsync(scope.ServiceProvider.GetRequiredService<TContext>(), task, save: true, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Applies one task on a context; saves when <paramref name="save"/> (else only what a Snapshot's children need first).</summary>
    private async Task<TaskResult> ApplyOnAsync(TContext context, IncomingTask task, bool save, CancellationToken cancellationToken)
    {
        if (_model.Find(task.Object.TypeName) is not { } mapping)
        {
            return TaskResult.Error($"Object type '{task.Object.TypeName}' is not an entity of {typeof(TContext).Name}; configure it in AddEntityFrameworkCore.");
        }

        return task.TaskType switch
        {
            TaskType.DeleteObject or TaskType.DeletePage => await DeleteAsync(context, mapping, task.ExistingObjectId, save, cancellationToken).ConfigureAwait(false),
            TaskType.DeleteAllCultures => await DeleteAllCulturesAsync(context, mapping, task.Object, save, cancellationToken).ConfigureAwait(false),
            TaskType.CreateObject or TaskType.CreatePage or TaskType.UpdateObject or TaskType.UpdatePage
                => await UpsertAsync(context, mapping, task.Snapshot, task.ExistingObjectId, save, cancellationToken).ConfigureAwait(false),
            _ when task.ExistingObjectId is null => TaskResult.Error($"{task.TaskType} of {task.Object} failed: the {mapping.Type.Name} does not exist in the application."),
            _ => await UpsertAsync(context, mapping, task.Snapshot, task.ExistingObjectId, save, cancellationToken).ConfigureAwait(false),
        };
    }

    /// <summary>The columns a batch look-up reads: the ID, the looked-up field, then (for a code name) the site and parent fields the type has.</summary>
    private static List<string> Columns(ObjectTypeInfo type, string field, bool byGuid)
    {
        List<string> columns = [type.IdField, field];
        if (!byGuid)
        {
            columns.AddRange(new[] { type.SiteField, type.ParentIdField }.OfType<string>());
        }

        return columns;
    }

    /// <summary>Whether a row read with <see cref="Columns"/> is the object a look-up asks for.</summary>
    private static bool Matches(EntityMapping mapping, object?[] row, List<string> columns, ObjectLookup lookup)
    {
        if (lookup.Guid is not null)
        {
            return true;
        }

        var type = mapping.Type;
        return (type.SiteField is not { } site || Equals(row[columns.IndexOf(site, 2)], Condition(mapping, site, lookup.Site).Value))
            && (lookup.ParentId is not { } parentId || type.ParentIdField is not { } parentField || Equals(row[columns.IndexOf(parentField, 2)], Condition(mapping, parentField, parentId).Value));
    }

    private async Task<TaskResult> UpsertAsync(TContext context, EntityMapping mapping, ObjectSnapshot snapshot, long? existingId, bool save, CancellationToken cancellationToken)
    {
        var entity = existingId is { } id ? await FindAsync(context, mapping, id, cancellationToken).ConfigureAwait(false) : null;
        var entry = entity is null ? context.Entry(context.Add(Create(mapping)).Entity) : context.Entry(entity);
        mapping.ApplyTo(entry, snapshot.Object);
        if (!save && snapshot.Children.Count == 0)
        {
            return TaskResult.Ok;
        }

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

        if (save)
        {
            await context.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }

        return TaskResult.Ok;
    }

    private static async Task<TaskResult> DeleteAsync(TContext context, EntityMapping mapping, long? existingId, bool save, CancellationToken cancellationToken)
    {
        // Deleting what is already gone succeeds: the external system and the application agree.
        if (existingId is { } id && await FindAsync(context, mapping, id, cancellationToken).ConfigureAwait(false) is { } entity)
        {
            context.Remove(entity);
            if (save)
            {
                await context.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        return TaskResult.Ok;
    }

    private static async Task<TaskResult> DeleteAllCulturesAsync(TContext context, EntityMapping mapping, BusObject page, bool save, CancellationToken cancellationToken)
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

        if (save)
        {
            await context.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }

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

    private static (string Field, object? Value) Condition(EntityMapping mapping, string field, object? value)
    {
        var property = mapping.Property(field);
        return (field, ClrValue.Convert(value, property.ClrType, mapping.Name, field));
    }
}
