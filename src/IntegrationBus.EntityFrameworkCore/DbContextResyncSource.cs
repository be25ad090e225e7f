using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationBus.EntityFrameworkCore;

/// <summary>
/// Reads a resync's batches through a fresh, untracked <typeparamref name="TContext"/> per batch, in one transaction on
/// the application's database (which is the bus's), in which the bus also records the batch's tasks and cursor.
/// </summary>
/// <remarks>
/// No live change of a batch's rows can commit between the read and the commit, so none is overtaken by an older resync
/// copy: on SQLite the batch takes the write lock before it reads (a no-op write as its first statement); on PostgreSQL it
/// reads the page's IDs, locks those rows <c>FOR SHARE</c> (waiting for a live writer of them to commit) and reads them
/// again. A live writer of the rows waits for the batch, which is why batches are short.
/// </remarks>
/// <typeparam name="TContext">The application's DbContext.</typeparam>
internal sealed class DbContextResyncSource<TContext>(IServiceScopeFactory scopes, EntityModel model) : IResyncSource
    where TContext : DbContext
{
    public bool CanRead(ObjectTypeInfo type) => model.Find(type.Name) is not null;

    public bool CanFilterByModification(ObjectTypeInfo type) => model.Find(type.Name)?.LastModified is not null;

    public async Task ReadBatchAsync(ResyncBatchRequest request, ResyncBatchWriter write, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(write);
        var mapping = model.Find(request.Type.Name)
            ?? throw new IntegrationBusException($"Type '{request.Type.Name}' is not an entity of {typeof(TContext).Name}, so a resync cannot read it through the DbContext.");
        if (request.Since is not null && mapping.LastModified is null)
        {
            throw new IntegrationBusException($"Entity '{mapping.Name}' has no LastModified property, so a resync with 'since' cannot filter it; declare one with LastModified(e => e.UpdatedAt).");
        }

        var scope = scopes.CreateAsyncScope();
        await using (scope.ConfigureAwait(false))
        {
            var context = scope.ServiceProvider.GetRequiredService<TContext>();
            context.ChangeTracker.QueryTrackingBehavior = QueryTrackingBehavior.NoTracking;
            var transaction = await context.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                await ResyncQueries.TakeWriteLockAsync(context, mapping, cancellationToken).ConfigureAwait(false);
                var objects = await ReadAsync(context, mapping, request, cancellationToken).ConfigureAwait(false);
                if (await write(objects, transaction.GetDbTransaction(), new DbContextObjectDataSource(context, model), cancellationToken).ConfigureAwait(false))
                {
                    await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                }
            }
        }
    }

    /// <summary>
    /// Reads the next page. On PostgreSQL it then locks the page's rows and reads them again: no writer of them is in
    /// flight any more, so the values are the latest committed. When every row of a page was deleted meanwhile, it reads
    /// on after that page, so an empty result always means the type has no more rows.
    /// </summary>
    private static async Task<List<BusObject>> ReadAsync(DbContext context, EntityMapping mapping, ResyncBatchRequest request, CancellationToken cancellationToken)
    {
        var idField = request.Type.IdField;
        var after = request.AfterId;
        while (true)
        {
            var entities = await ResyncQueries.PageAsync(context, mapping, after, request.Limit, request.Since, cancellationToken).ConfigureAwait(false);
            var page = entities.Select(mapping.FromEntity).ToList();
            if (page.Count == 0 || !ResyncQueries.LocksRows(context))
            {
                return page;
            }

            var ids = page.Select(o => o.GetInt64(idField)!.Value).ToList();
            await ResyncQueries.LockRowsAsync(context, mapping, ids, cancellationToken).ConfigureAwait(false);
            var again = await EntityQueries.WhereInAsync(context, mapping.EntityType, idField, ids, cancellationToken).ConfigureAwait(false);
            var objects = again.Select(mapping.FromEntity).OrderBy(o => o.GetInt64(idField)).ToList();
            if (objects.Count > 0)
            {
                return objects;
            }

            after = ids[^1];
        }
    }
}
