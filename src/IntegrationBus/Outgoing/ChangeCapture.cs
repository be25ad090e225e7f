using System.Data.Common;

namespace IntegrationBus;

/// <summary>
/// Captures a data layer's changes for the bus: match them as they happen, write their tasks inside the data layer's
/// transaction, and after the commit wake the runners and call synchronous connectors. The public seam for integrating
/// another data layer (Dapper, NHibernate, raw ADO.NET); the EF Core package is built on it.
/// </summary>
/// <remarks>
/// <para>The usual sequence: <see cref="Add"/> each change, <see cref="WriteAsync"/> (or <see cref="Write"/>) inside the
/// transaction before it commits (as often as the data layer saves), then <see cref="CommittedAsync"/> (or
/// <see cref="Committed"/>) once it committed, or <see cref="RolledBack"/> if it did not (<see cref="RolledBackToSavepoint"/>
/// after a rollback to a savepoint). A capture can be used again after either end.</para>
/// <para>Thread-safe. Create one with <see cref="IntegrationBusService.BeginCapture"/>.</para>
/// </remarks>
public sealed class ChangeCapture
{
    private readonly ChangeLogger _logger;
    private readonly Lock _lock = new();
    private readonly List<PendingChange> _pending = [];
    private readonly HashSet<ConnectorRuntime> _written = [];
    private readonly List<(IReadOnlyList<ConnectorRuntime> Connectors, BusObject Object, TaskType TaskType)> _synchronous = [];

    internal ChangeCapture(ChangeLogger logger) => _logger = logger;

    /// <summary>Gets a value indicating whether the bus's store can write tasks on a connection enlisted in an ambient System.Transactions transaction (<see cref="WriteEnlistedAsync"/>): PostgreSQL can, SQLite cannot.</summary>
    public bool SupportsEnlistedConnections => _logger.SupportsEnlistedAppends;

    /// <summary>Gets a value indicating whether a change made now can be captured; when <see langword="false"/>, <see cref="Add"/> captures nothing.</summary>
    /// <remarks>
    /// <see langword="false"/> while outgoing logging is switched off, and in the flow that applies an incoming task of a
    /// connector that does not relay incoming changes (loop prevention logs nothing there). A data layer can skip
    /// describing its changes when this is <see langword="false"/>.
    /// </remarks>
    public bool IsEnabled => _logger.IsCapturing;

    /// <summary>Gets how many matched tasks wait to be written.</summary>
    public int PendingCount
    {
        get
        {
            lock (_lock)
            {
                return _pending.Count;
            }
        }
    }

    /// <summary>Gets a value indicating whether synchronous connector calls or written tasks wait for the commit.</summary>
    public bool HasWorkAfterCommit
    {
        get
        {
            lock (_lock)
            {
                return _synchronous.Count > 0 || _written.Count > 0;
            }
        }
    }

    /// <summary>Matches a change against the subscriptions now; its tasks wait for <see cref="WriteAsync"/>, its synchronous calls for the commit.</summary>
    /// <param name="obj">The changed object, after the change (before it, for a delete). The capture keeps it: do not change it afterwards (pass a <see cref="BusObject.Clone"/> if you will).</param>
    /// <param name="taskType">The operation.</param>
    /// <param name="previous">The object before an update, or <see langword="null"/>; an update that changed no field captures nothing.</param>
    /// <exception cref="ArgumentNullException"><paramref name="obj"/> is null.</exception>
    /// <exception cref="ArgumentException">The task type does not fit the object (a page operation on an object, <c>All</c>).</exception>
    public void Add(BusObject obj, TaskType taskType, BusObject? previous = null)
    {
        if (Match(obj, taskType, previous, copy: false) is { } synchronous)
        {
            Defer(synchronous, obj, taskType);
        }
    }

    /// <summary>Writes the captured tasks: inside <paramref name="transaction"/> (so they exist if and only if it commits), or in a transaction of the store's own.</summary>
    /// <param name="transaction">The data layer's open transaction on the bus's database, or <see langword="null"/>.</param>
    /// <param name="dataSource">Reads referenced objects, children and bindings for snapshots inside the same transaction, or <see langword="null"/> for the registered one.</param>
    /// <param name="cancellationToken">Cancels the write; the tasks stay captured then.</param>
    /// <returns>A task that completes when the tasks are written.</returns>
    public Task WriteAsync(DbTransaction? transaction, IObjectDataSource? dataSource, CancellationToken cancellationToken = default)
        => WriteCoreAsync(transaction, null, dataSource, cancellationToken);

    /// <summary>
    /// Writes the captured tasks on the data layer's open connection, enlisted in the ambient System.Transactions
    /// transaction (a <c>TransactionScope</c>), so they exist if and only if it commits. Call <see cref="CommittedAsync"/>
    /// or <see cref="RolledBack"/> when that transaction completes (its <c>TransactionCompleted</c> event).
    /// </summary>
    /// <param name="connection">The data layer's open connection to the bus's database, enlisted in <see cref="System.Transactions.Transaction.Current"/>.</param>
    /// <param name="dataSource">Reads referenced objects, children and bindings for snapshots, or <see langword="null"/> for the registered one.</param>
    /// <param name="cancellationToken">Cancels the write; the tasks stay captured then.</param>
    /// <returns>A task that completes when the tasks are written.</returns>
    /// <exception cref="NotSupportedException">The bus's store cannot append on an enlisted connection (<see cref="SupportsEnlistedConnections"/>).</exception>
    public Task WriteEnlistedAsync(DbConnection connection, IObjectDataSource? dataSource, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return WriteCoreAsync(null, connection, dataSource, cancellationToken);
    }

    /// <summary>Writes the captured tasks synchronously inside the data layer's transaction (for synchronous hooks such as EF Core's <c>SaveChanges</c>).</summary>
    /// <param name="transaction">The data layer's open transaction on the bus's database.</param>
    /// <param name="dataSource">Reads referenced objects for snapshots synchronously, or <see langword="null"/>.</param>
    public void Write(DbTransaction transaction, ISynchronousObjectDataSource? dataSource)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        WriteCore(transaction, null, dataSource);
    }

    /// <summary>Writes the captured tasks synchronously on an enlisted connection; see <see cref="WriteEnlistedAsync"/>.</summary>
    /// <param name="connection">The data layer's open connection to the bus's database, enlisted in <see cref="System.Transactions.Transaction.Current"/>.</param>
    /// <param name="dataSource">Reads referenced objects for snapshots synchronously, or <see langword="null"/>.</param>
    /// <exception cref="NotSupportedException">The bus's store cannot append on an enlisted connection (<see cref="SupportsEnlistedConnections"/>).</exception>
    public void WriteEnlisted(DbConnection connection, ISynchronousObjectDataSource? dataSource)
    {
        ArgumentNullException.ThrowIfNull(connection);
        WriteCore(null, connection, dataSource);
    }

    private async Task WriteCoreAsync(DbTransaction? transaction, DbConnection? enlisted, IObjectDataSource? dataSource, CancellationToken cancellationToken)
    {
        var pending = TakePending();
        try
        {
            await _logger.WriteAsync(pending, transaction, enlisted, dataSource, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            Restore(pending);
            throw;
        }

        MarkWritten(pending);
    }

    private void WriteCore(DbTransaction? transaction, DbConnection? enlisted, ISynchronousObjectDataSource? dataSource)
    {
        var pending = TakePending();
        try
        {
            _logger.Write(pending, transaction, enlisted, dataSource);
        }
        catch
        {
            Restore(pending);
            throw;
        }

        MarkWritten(pending);
    }

    /// <summary>After the commit: wakes the runners of the connectors that got tasks and calls synchronous connectors (awaited, in order).</summary>
    /// <param name="cancellationToken">Passed to synchronous connectors.</param>
    /// <returns>A task that completes when the synchronous connectors have run; their failures are logged and raised, never thrown.</returns>
    public async Task CommittedAsync(CancellationToken cancellationToken = default)
    {
        foreach (var (connectors, obj, taskType) in TakeAfterCommit())
        {
            await _logger.CallSynchronousAsync(connectors, obj, taskType, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>After the commit, from a synchronous hook: wakes the runners and starts the synchronous connector calls; the bus tracks them, and stopping it waits for them.</summary>
    public void Committed()
    {
        foreach (var (connectors, obj, taskType) in TakeAfterCommit())
        {
            _logger.CallSynchronous(connectors, obj, taskType);
        }
    }

    /// <summary>After a rollback: forgets everything captured (the written tasks were rolled back with the transaction).</summary>
    public void RolledBack()
    {
        lock (_lock)
        {
            _pending.Clear();
            _written.Clear();
            _synchronous.Clear();
        }
    }

    /// <summary>Marks the synchronous calls captured so far, when the data layer's transaction creates a savepoint.</summary>
    /// <returns>The mark, for <see cref="RolledBackToSavepoint"/>.</returns>
    public CaptureSavepoint CreateSavepoint()
    {
        lock (_lock)
        {
            return new CaptureSavepoint(_synchronous.Count);
        }
    }

    /// <summary>
    /// After the data layer's transaction rolled back to a savepoint: forgets the synchronous calls captured since its mark
    /// (their changes, and the tasks written for them, were rolled back with it). Changes captured but not yet written
    /// stay captured: write them before creating a savepoint.
    /// </summary>
    /// <param name="savepoint">The mark taken when the savepoint was created.</param>
    public void RolledBackToSavepoint(CaptureSavepoint savepoint)
    {
        lock (_lock)
        {
            var kept = Math.Min(savepoint.SynchronousCalls, _synchronous.Count);
            _synchronous.RemoveRange(kept, _synchronous.Count - kept);
        }
    }

    /// <summary>Matches a change; returns the synchronous connectors for the caller to call (now, or after the commit).</summary>
    internal IReadOnlyList<ConnectorRuntime>? Match(BusObject obj, TaskType taskType, BusObject? previous, bool copy)
    {
        lock (_lock)
        {
            return _logger.Match(_pending, obj, taskType, previous, copy);
        }
    }

    /// <summary>Keeps synchronous calls for after the commit.</summary>
    internal void Defer(IReadOnlyList<ConnectorRuntime> synchronous, BusObject obj, TaskType taskType)
    {
        lock (_lock)
        {
            _synchronous.Add((synchronous, obj, taskType));
        }
    }

    /// <summary>Wakes the runners of the connectors whose tasks were written; returns the synchronous calls waiting for the commit.</summary>
    internal List<(IReadOnlyList<ConnectorRuntime> Connectors, BusObject Object, TaskType TaskType)> TakeAfterCommit()
    {
        List<(IReadOnlyList<ConnectorRuntime>, BusObject, TaskType)> synchronous;
        lock (_lock)
        {
            ChangeLogger.Wake(_written);
            _written.Clear();
            synchronous = [.. _synchronous];
            _synchronous.Clear();
        }

        return synchronous;
    }

    internal void Wake()
    {
        lock (_lock)
        {
            ChangeLogger.Wake(_written);
            _written.Clear();
        }
    }

    private List<PendingChange> TakePending()
    {
        lock (_lock)
        {
            var pending = new List<PendingChange>(_pending);
            _pending.Clear();
            return pending;
        }
    }

    private void Restore(List<PendingChange> pending)
    {
        lock (_lock)
        {
            _pending.InsertRange(0, pending);
        }
    }

    private void MarkWritten(List<PendingChange> pending)
    {
        lock (_lock)
        {
            foreach (var change in pending)
            {
                _written.UnionWith(change.Connectors);
            }
        }
    }
}
