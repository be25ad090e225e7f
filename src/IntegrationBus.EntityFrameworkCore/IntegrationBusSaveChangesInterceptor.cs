using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Storage;

namespace IntegrationBus.EntityFrameworkCore;

/// <summary>
/// Captures added, modified and deleted entities of bus types on <c>SaveChanges</c> and writes their tasks in the
/// same database transaction; wakes the runners and calls synchronous connectors once that transaction commits.
/// </summary>
/// <remarks>
/// Without a transaction of the application's own, the interceptor begins one around SaveChanges so the entities
/// and their tasks commit together. Inside an explicit transaction, tasks are written with each SaveChanges and the
/// runners are woken when the application commits; a rollback leaves no task. Add it with <c>UseIntegrationBus</c>.
/// </remarks>
public sealed class IntegrationBusSaveChangesInterceptor : SaveChangesInterceptor, IDbTransactionInterceptor
{
    private readonly Lazy<IntegrationBusService> _lazyBus;
    private readonly EntityModel _model;
    private readonly ConditionalWeakTable<DbContext, SaveState> _states = new();

    // The bus is resolved on first use: deriving the bus types from the EF model builds a DbContext, whose options
    // ask for this interceptor, so the interceptor must not need the bus to exist yet.
    internal IntegrationBusSaveChangesInterceptor(Func<IntegrationBusService> bus, EntityModel model)
    {
        _lazyBus = new Lazy<IntegrationBusService>(bus);
        _model = model;
    }

    private IntegrationBusService _bus => _lazyBus.Value;

    /// <inheritdoc />
    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        ArgumentNullException.ThrowIfNull(eventData);
        if (Prepare(eventData.Context) is { } state && eventData.Context!.Database.CurrentTransaction is null)
        {
            state.OwnedTransaction = eventData.Context.Database.BeginTransaction();
        }

        return result;
    }

    /// <inheritdoc />
    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(eventData);
        if (Prepare(eventData.Context) is { } state && eventData.Context!.Database.CurrentTransaction is null)
        {
            state.OwnedTransaction = await eventData.Context.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        }

        return result;
    }

    /// <inheritdoc />
    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        ArgumentNullException.ThrowIfNull(eventData);
        if (Saved(eventData) is not var (context, state, changes, untracked, source))
        {
            return result;
        }

        foreach (var (type, ids) in untracked)
        {
            AddOwnerUpdates(changes, source.GetObjects(type, ids));
        }

        Collect(state, changes);
        state.Capture.Write(Transaction(context), source);
        state.ClearCaptured();
        if (state.OwnedTransaction is { } owned)
        {
            CommitOwned(state, owned);
            Finish(state);
        }

        return result;
    }

    /// <inheritdoc />
    public override async ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(eventData);
        if (Saved(eventData) is not var (context, state, changes, untracked, source))
        {
            return result;
        }

        foreach (var (type, ids) in untracked)
        {
            AddOwnerUpdates(changes, await source.GetObjectsAsync(type, ids, cancellationToken).ConfigureAwait(false));
        }

        Collect(state, changes);
        await state.Capture.WriteAsync(Transaction(context), source, cancellationToken).ConfigureAwait(false);
        state.ClearCaptured();
        if (state.OwnedTransaction is { } owned)
        {
            await CommitOwnedAsync(state, owned, cancellationToken).ConfigureAwait(false);
            await FinishAsync(state).ConfigureAwait(false);
        }

        return result;
    }

    /// <inheritdoc />
    public override void SaveChangesFailed(DbContextErrorEventData eventData)
    {
        ArgumentNullException.ThrowIfNull(eventData);
        if (eventData.Context is { } context && _states.TryGetValue(context, out var state))
        {
            state.ClearCaptured();
            if (state.OwnedTransaction is { } owned)
            {
                state.OwnedTransaction = null;
                owned.Dispose();
            }
        }
    }

    /// <inheritdoc />
    public override async Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(eventData);
        if (eventData.Context is { } context && _states.TryGetValue(context, out var state))
        {
            state.ClearCaptured();
            if (state.OwnedTransaction is { } owned)
            {
                state.OwnedTransaction = null;
                await owned.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <inheritdoc />
    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData)
    {
        if (TakeCommitted(eventData) is { } state)
        {
            Finish(state);
        }
    }

    /// <inheritdoc />
    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default) =>
        TakeCommitted(eventData) is { } state ? FinishAsync(state) : Task.CompletedTask;

    /// <inheritdoc />
    public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => Discard(eventData);

    /// <inheritdoc />
    public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Discard(eventData);
        return Task.CompletedTask;
    }

    internal void QueuePageOperation(DbContext context, object page, TaskType operation) =>
        State(context).PageOperations.Add((page, operation));

    private static DbTransaction Transaction(DbContext context) =>
        context.Database.CurrentTransaction?.GetDbTransaction()
            ?? throw new IntegrationBusException("SaveChanges ran without a transaction, so the bus cannot write its tasks with the entities.");

    private static async Task CommitOwnedAsync(SaveState state, IDbContextTransaction owned, CancellationToken cancellationToken)
    {
        state.CommittingOwned = true;
        try
        {
            await owned.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            state.CommittingOwned = false;
            state.OwnedTransaction = null;
            await owned.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>What a finished SaveChanges changed; binding owners the context does not track come back grouped by type, to be read in one query each.</summary>
    private (DbContext Context, SaveState State, List<(BusObject Object, TaskType TaskType, BusObject? Previous)> Changes, Dictionary<ObjectTypeInfo, List<long>> Untracked, DbContextObjectDataSource Source)? Saved(SaveChangesCompletedEventData eventData)
    {
        if (eventData.Context is not { } context || !_states.TryGetValue(context, out var state) || !state.HasWork)
        {
            return null;
        }

        var changes = EntityChanges.Describe(context, _model, state, out var untracked);
        var byType = untracked.GroupBy(u => u.Owner.Type).ToDictionary(g => g.Key, g => g.Select(u => u.Id).Distinct().ToList());
        return (context, state, changes, byType, new DbContextObjectDataSource(context, _model));
    }

    private static void AddOwnerUpdates(List<(BusObject Object, TaskType TaskType, BusObject? Previous)> changes, IReadOnlyList<BusObject> owners)
    {
        foreach (var owner in owners)
        {
            changes.Add((owner, TaskType.UpdateObject, null));
        }
    }

    private static void CommitOwned(SaveState state, IDbContextTransaction owned)
    {
        state.CommittingOwned = true;
        try
        {
            owned.Commit();
        }
        finally
        {
            state.CommittingOwned = false;
            state.OwnedTransaction = null;
            owned.Dispose();
        }
    }

    private SaveState? Prepare(DbContext? context)
    {
        if (context is null)
        {
            return null;
        }

        var state = State(context);
        if (!state.Capture.IsEnabled)
        {
            return null;
        }

        EntityChanges.Capture(context, _model, state);
        return state.HasWork ? state : null;
    }

    private static void Collect(SaveState state, List<(BusObject Object, TaskType TaskType, BusObject? Previous)> changes)
    {
        // The objects were built for this save, so the capture may keep them without a copy.
        foreach (var (obj, taskType, previous) in changes)
        {
            state.Capture.Add(obj, taskType, previous);
        }
    }

    private SaveState State(DbContext context) => _states.GetValue(context, _ => new SaveState(_bus.BeginCapture()));

    private SaveState? TakeCommitted(TransactionEndEventData eventData) =>
        eventData.Context is { } context && _states.TryGetValue(context, out var state) && !state.CommittingOwned ? state : null;

    private static void Finish(SaveState state)
    {
        state.ClearCaptured();
        state.Capture.Committed();
    }

    private static Task FinishAsync(SaveState state)
    {
        state.ClearCaptured();
        return state.Capture.CommittedAsync(CancellationToken.None);
    }

    private void Discard(TransactionEndEventData eventData)
    {
        if (eventData.Context is { } context && _states.TryGetValue(context, out var state) && !state.CommittingOwned)
        {
            Reset(state);
        }
    }

    private static void Reset(SaveState state)
    {
        state.ClearCaptured();
        state.Capture.RolledBack();
    }
}
