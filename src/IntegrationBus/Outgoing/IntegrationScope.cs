using System.Data.Common;

namespace IntegrationBus;

/// <summary>
/// A unit of work: the changes logged in it become tasks in one batch when it completes, and the connectors it
/// touched are woken. A scope disposed without <see cref="CompleteAsync"/> writes nothing.
/// </summary>
/// <remarks>
/// <para>
/// Without a transaction of the caller's, synchronous connectors are called as each change is logged (the application
/// has stored the change already), and the tasks are written in a transaction of the store's own by
/// <see cref="CompleteAsync"/>.
/// </para>
/// <para>
/// With the caller's <see cref="DbTransaction"/> (<see cref="IntegrationBusService.BeginScope(DbTransaction)"/>), the
/// tasks are written inside that transaction, so a task exists if and only if the caller commits, and synchronous
/// connectors are called only after the commit. Finish with <see cref="CommitAsync"/>: it writes the tasks, commits the
/// transaction, then wakes the runners and calls the synchronous connectors. (A caller that commits the transaction
/// itself calls <see cref="CompleteAsync"/> before its commit; disposing the scope then wakes the runners, but
/// synchronous connectors are not called, because the scope cannot know the commit happened: a warning says so.)
/// </para>
/// <para>While a scope is open it is the ambient scope of the current async flow: <see cref="IntegrationBusService.LogChangeAsync(BusObject, TaskType, CancellationToken)"/>
/// logs into it, also from concurrent tasks of that flow (<c>Task.WhenAll</c>); logging is thread-safe.</para>
/// </remarks>
public sealed class IntegrationScope : IAsyncDisposable
{
    private readonly IntegrationBusService _bus;
    private readonly ChangeCapture _capture;
    private volatile bool _completed;
    private bool _committed;
    private bool _disposed;

    internal IntegrationScope(IntegrationBusService bus, ChangeCapture capture, DbTransaction? transaction, IntegrationScope? outer)
    {
        _bus = bus;
        _capture = capture;
        Transaction = transaction;
        Outer = outer;
    }

    /// <summary>Gets the caller's transaction the tasks are written in, or <see langword="null"/> for the store's own.</summary>
    public DbTransaction? Transaction { get; }

    /// <summary>Gets how many tasks are waiting to be written.</summary>
    public int PendingCount => _capture.PendingCount;

    internal IntegrationScope? Outer { get; }

    /// <summary>Logs a change: its tasks are written when the scope completes; synchronous connectors are called now, or after the commit with a caller's transaction.</summary>
    /// <param name="obj">The changed object, after the change (before it, for a delete); the scope copies it.</param>
    /// <param name="taskType">The operation.</param>
    /// <param name="cancellationToken">Cancels synchronous connector calls.</param>
    /// <returns>A task that completes when the change is matched (and, without a caller's transaction, synchronous connectors have run).</returns>
    /// <exception cref="InvalidOperationException">The scope has completed.</exception>
    /// <exception cref="ObjectDisposedException">The scope has been disposed.</exception>
    /// <exception cref="ArgumentException">The task type does not fit the object (a page operation on an object, <c>All</c>).</exception>
    public ValueTask LogChangeAsync(BusObject obj, TaskType taskType, CancellationToken cancellationToken = default) =>
        LogChangeAsync(obj, taskType, previous: null, cancellationToken);

    /// <summary>Logs a change; an update whose fields equal <paramref name="previous"/> logs nothing.</summary>
    /// <param name="obj">The changed object, after the change; the scope copies it.</param>
    /// <param name="taskType">The operation.</param>
    /// <param name="previous">The object before the change, or <see langword="null"/> when unknown.</param>
    /// <param name="cancellationToken">Cancels synchronous connector calls.</param>
    /// <returns>A task that completes when the change is matched (and, without a caller's transaction, synchronous connectors have run).</returns>
    /// <exception cref="InvalidOperationException">The scope has completed.</exception>
    /// <exception cref="ObjectDisposedException">The scope has been disposed.</exception>
    public ValueTask LogChangeAsync(BusObject obj, TaskType taskType, BusObject? previous, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_completed)
        {
            throw new InvalidOperationException("This IntegrationScope has completed; begin a new scope to log more changes.");
        }

        return _bus.LogIntoAsync(this, _capture, obj, taskType, previous, cancellationToken);
    }

    /// <summary>Writes the logged tasks in one batch (inside the caller's transaction, when there is one).</summary>
    /// <param name="cancellationToken">Cancels the write; nothing is written then.</param>
    /// <returns>A task that completes when the tasks are stored.</returns>
    /// <exception cref="InvalidOperationException">The scope has already completed.</exception>
    /// <exception cref="ObjectDisposedException">The scope has been disposed.</exception>
    public async Task CompleteAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_completed)
        {
            throw new InvalidOperationException("This IntegrationScope has already completed.");
        }

        await _bus.EnsureStartedAsync(cancellationToken).ConfigureAwait(false);
        await _capture.WriteAsync(Transaction, null, cancellationToken).ConfigureAwait(false);
        _completed = true;
        if (Transaction is null)
        {
            _capture.Wake();
        }
    }

    /// <summary>
    /// For a scope on the caller's transaction: writes the logged tasks into it (unless <see cref="CompleteAsync"/> did),
    /// commits the transaction, then wakes the runners and calls the synchronous connectors.
    /// </summary>
    /// <param name="cancellationToken">Cancels the write and the commit, and is passed to synchronous connectors.</param>
    /// <returns>A task that completes when the transaction is committed and the synchronous connectors have run.</returns>
    /// <exception cref="InvalidOperationException">The scope has no caller's transaction, or was committed already.</exception>
    /// <exception cref="ObjectDisposedException">The scope has been disposed.</exception>
    public async Task CommitAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (Transaction is null)
        {
            throw new InvalidOperationException("This IntegrationScope has no transaction of the caller's to commit; call CompleteAsync to write its tasks.");
        }

        if (_committed)
        {
            throw new InvalidOperationException("This IntegrationScope has already committed its transaction.");
        }

        if (!_completed)
        {
            await CompleteAsync(cancellationToken).ConfigureAwait(false);
        }

        await Transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        _committed = true;
        await _capture.CommittedAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Ends the scope: restores the outer ambient scope and, for a caller's transaction the caller committed itself, wakes the runners.</summary>
    /// <returns>A completed task.</returns>
    public ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return ValueTask.CompletedTask;
        }

        _disposed = true;
        _bus.EndScope(this);
        if (_completed && Transaction is not null && !_committed)
        {
            // The caller may have committed: waking costs a look at the queues, never a wrong delivery.
            var skipped = _capture.TakeAfterCommit();
            if (skipped.Count > 0)
            {
                OutgoingLog.SynchronousCallsDiscarded(_bus.Logger, skipped.Count);
            }
        }

        _capture.RolledBack();
        return ValueTask.CompletedTask;
    }
}
