using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
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
/// Without a transaction of the application's own, the interceptor runs the save inside the context's execution strategy
/// in a transaction of its own (and suppresses the outer save), so the entities and their tasks commit together, and a
/// retrying strategy (<c>EnableRetryOnFailure</c>) retries the whole unit (entities, tasks and the commit) instead of
/// refusing a transaction it did not begin (every save while the bus logs: the bus reads the changes EF Core detected in
/// the nested save's <c>SavedChanges</c>, so the tracker is scanned once, as without the bus). The entries are accepted once the caller's SaveChanges ends (when it asked for
/// it), so other interceptors' <c>SavedChanges</c> still see them as saved but not yet accepted. Inside an explicit
/// transaction (with a retrying strategy: one begun inside <c>CreateExecutionStrategy().Execute</c>, as EF Core requires),
/// tasks are written with each SaveChanges and the runners are woken when the application commits; a rollback leaves no
/// task. Inside a <c>TransactionScope</c> the tasks are written on the connection enlisted in it (PostgreSQL; with SQLite
/// such a save throws <see cref="IntegrationBusException"/>) and the runners are woken when it commits. Add it with
/// <c>UseIntegrationBus</c>.
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
        if (!result.HasResult && Prepare(eventData.Context) is { } state && state.CaptureAfterSave)
        {
            return InterceptionResult<int>.SuppressWithResult(OwnTransactionSave.Run(eventData.Context!, state));
        }

        return result;
    }

    /// <inheritdoc />
    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(eventData);
        if (!result.HasResult && Prepare(eventData.Context) is { } state && state.CaptureAfterSave)
        {
            return InterceptionResult<int>.SuppressWithResult(await OwnTransactionSave.RunAsync(eventData.Context!, state, cancellationToken).ConfigureAwait(false));
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
        SaveTransaction.Write(context, state, source);
        state.ClearCaptured();
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
        await SaveTransaction.WriteAsync(context, state, source, cancellationToken).ConfigureAwait(false);
        state.ClearCaptured();
        return result;
    }

    /// <inheritdoc />
    public override void SaveChangesFailed(DbContextErrorEventData eventData)
    {
        ArgumentNullException.ThrowIfNull(eventData);
        OnState(eventData.Context, static state => state.ClearCaptured());
    }

    /// <inheritdoc />
    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        SaveChangesFailed(eventData);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    /// <remarks>
    /// What the context captured in an earlier transaction that ended without a commit or rollback the interceptor saw (one
    /// disposed without committing, which rolls it back) is forgotten: it must not reach this transaction's commit.
    /// </remarks>
    public DbTransaction TransactionStarted(DbConnection connection, TransactionEndEventData eventData, DbTransaction result)
    {
        OnState(eventData?.Context, static state => state.TransactionBegan());
        return result;
    }

    /// <inheritdoc cref="TransactionStarted"/>
    public ValueTask<DbTransaction> TransactionStartedAsync(DbConnection connection, TransactionEndEventData eventData, DbTransaction result, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(TransactionStarted(connection, eventData, result));

    /// <inheritdoc />
    /// <remarks>As <see cref="TransactionStarted"/>: what an earlier transaction left is forgotten.</remarks>
    public DbTransaction TransactionUsed(DbConnection connection, TransactionEventData eventData, DbTransaction result)
    {
        OnState(eventData?.Context, static state => state.TransactionBegan());
        return result;
    }

    /// <inheritdoc cref="TransactionUsed"/>
    public ValueTask<DbTransaction> TransactionUsedAsync(DbConnection connection, TransactionEventData eventData, DbTransaction result, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(TransactionUsed(connection, eventData, result));

    /// <inheritdoc />
    /// <remarks>Marks what the context's transaction captured so far; a rollback to the savepoint forgets the synchronous calls captured after it.</remarks>
    public void CreatedSavepoint(DbTransaction transaction, TransactionEventData eventData) => OnState(eventData?.Context, static state => state.SavepointCreated());

    /// <inheritdoc cref="CreatedSavepoint"/>
    public Task CreatedSavepointAsync(DbTransaction transaction, TransactionEventData eventData, CancellationToken cancellationToken = default)
    {
        CreatedSavepoint(transaction, eventData);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    /// <remarks>
    /// The changes saved since the savepoint were rolled back with their tasks; their synchronous calls are forgotten too.
    /// EF Core does not name the savepoint here: the innermost one open is taken.
    /// </remarks>
    public void RolledBackToSavepoint(DbTransaction transaction, TransactionEventData eventData) => OnState(eventData?.Context, static state => state.RolledBackToSavepoint());

    /// <inheritdoc cref="RolledBackToSavepoint"/>
    public Task RolledBackToSavepointAsync(DbTransaction transaction, TransactionEventData eventData, CancellationToken cancellationToken = default)
    {
        RolledBackToSavepoint(transaction, eventData);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public void ReleasedSavepoint(DbTransaction transaction, TransactionEventData eventData) => OnState(eventData?.Context, static state => state.SavepointReleased());

    /// <inheritdoc />
    public Task ReleasedSavepointAsync(DbTransaction transaction, TransactionEventData eventData, CancellationToken cancellationToken = default)
    {
        ReleasedSavepoint(transaction, eventData);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData)
    {
        if (TakeCommitted(eventData) is { } state)
        {
            state.Committed();
        }
    }

    /// <inheritdoc />
    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default) =>
        TakeCommitted(eventData) is { } state ? state.CommittedAsync() : Task.CompletedTask;

    /// <inheritdoc />
    public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => OnState(eventData?.Context, static state => state.RolledBack());

    /// <inheritdoc />
    public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        TransactionRolledBack(transaction, eventData);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    /// <remarks>A commit that failed is treated as a rollback: what was captured is forgotten (the runners' sweep finds anything that did commit).</remarks>
    public void TransactionFailed(DbTransaction transaction, TransactionErrorEventData eventData)
    {
        ArgumentNullException.ThrowIfNull(eventData);
        if (eventData.Action == "Commit")
        {
            OnState(eventData.Context, static state => state.RolledBack());
        }
    }

    /// <inheritdoc />
    public Task TransactionFailedAsync(DbTransaction transaction, TransactionErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        TransactionFailed(transaction, eventData);
        return Task.CompletedTask;
    }

    /// <summary>Ends what a save left waiting for its outer SaveChanges when that never raised its events (another interceptor threw).</summary>
    private static void EndPending(SaveState state) => state.PendingEnd?.Invoke();

    internal void QueuePageOperation(DbContext context, object page, TaskType operation) =>
        State(context).PageOperations.Add((page, operation));

    /// <summary>What a finished SaveChanges changed; binding owners the context does not track come back grouped by type, to be read in one query each.</summary>
    private (DbContext Context, SaveState State, List<(BusObject Object, TaskType TaskType, BusObject? Previous)> Changes, Dictionary<ObjectTypeInfo, List<long>> Untracked, DbContextObjectDataSource Source)? Saved(SaveChangesCompletedEventData eventData)
    {
        if (eventData.Context is not { } context || !TryState(context, out var state))
        {
            return null;
        }

        if (state.CaptureAfterSave)
        {
            // The nested save of OwnTransactionSave.Run: what it wrote is still tracked as added, modified or deleted.
            state.CaptureAfterSave = false;
            EntityChanges.Capture(context, _model, state, detectChanges: false);
        }

        if (!state.HasWork)
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

    /// <summary>
    /// Starts a SaveChanges: without a transaction, marks the save to be run in the bus's own (<see cref="SaveState.CaptureAfterSave"/>);
    /// inside the application's transaction, captures the changes now; inside the bus's own, leaves them to <see cref="Saved"/>.
    /// </summary>
    /// <returns>The state when the bus has work in this save, else <see langword="null"/>.</returns>
    private SaveState? Prepare(DbContext? context)
    {
        if (context is null)
        {
            return null;
        }

        var state = State(context);
        EndPending(state);
        state.BeginSave();
        if (!state.Capture.IsEnabled)
        {
            return null;
        }

        if (state.CaptureAfterSave)
        {
            // The nested save of OwnTransactionSave.Run: EF Core detects the changes right after this, and Saved captures
            // them (the nested save does not accept them, so their states and original values are still there).
            return null;
        }

        if (context.Database.CurrentTransaction is null && System.Transactions.Transaction.Current is null)
        {
            state.CaptureAfterSave = true;
            return state;
        }

        EntityChanges.Capture(context, _model, state);
        if (state.HasWork && context.Database.CurrentTransaction is null)
        {
            // An ambient System.Transactions transaction: EF Core saves on a connection enlisted in it (and lets no one
            // begin a transaction), so the tasks are written on that connection. A save without bus changes stays EF Core's.
            SaveTransaction.JoinAmbient(context, state);
        }

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

    private SaveState State(DbContext context)
    {
        if (!TryState(context, out var state))
        {
            // A new context, or a pooled one rented again: what an earlier lease left (a page operation it never saved,
            // a transaction disposed without committing) is not this lease's to log; a save it left waiting is ended.
            if (_states.TryGetValue(context, out var earlier))
            {
                EndPending(earlier);
            }

            state = new SaveState(_bus.BeginCapture, context.ContextId.Lease);
            _states.AddOrUpdate(context, state);
        }

        return state;
    }

    private bool TryState(DbContext context, [NotNullWhen(true)] out SaveState? state) =>
        _states.TryGetValue(context, out state) && state.Lease == context.ContextId.Lease;

    private SaveState? TakeCommitted(TransactionEndEventData eventData) =>
        eventData.Context is { } context && TryState(context, out var state) ? state : null;

    /// <summary>Runs an action on the state of the context's current lease, if it has one.</summary>
    private void OnState(DbContext? context, Action<SaveState> action)
    {
        if (context is not null && TryState(context, out var state))
        {
            action(state);
        }
    }
}
