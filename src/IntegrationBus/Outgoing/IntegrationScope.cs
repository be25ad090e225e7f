using System.Data.Common;
using IntegrationBus.Model;

namespace IntegrationBus.Outgoing;

/// <summary>
/// A unit of work: the changes logged in it become tasks in one batch when it completes, and the connectors it
/// touched are woken. A scope disposed without <see cref="CompleteAsync"/> writes nothing.
/// </summary>
/// <remarks>
/// <para>
/// A scope begun with a caller's <see cref="DbTransaction"/> writes its tasks inside that transaction when it
/// completes, so a task exists if and only if the caller commits; call <see cref="CompleteAsync"/> before the
/// commit and dispose the scope after it, which wakes the runners.
/// </para>
/// <para>While a scope is open it is the ambient scope of the current async flow: <see cref="IntegrationBusService.LogChangeAsync(BusObject, TaskType, CancellationToken)"/> logs into it. Not thread-safe.</para>
/// </remarks>
public sealed class IntegrationScope : IAsyncDisposable
{
    private readonly IntegrationBusService _bus;
    private readonly IntegrationScope? _outer;
    private readonly List<PendingChange> _pending = [];
    private bool[]? _touched;
    private bool _completed;
    private bool _disposed;

    internal IntegrationScope(IntegrationBusService bus, DbTransaction? transaction, IntegrationScope? outer)
    {
        _bus = bus;
        Transaction = transaction;
        _outer = outer;
    }

    /// <summary>Gets the caller's transaction the tasks are written in, or <see langword="null"/> for the store's own.</summary>
    public DbTransaction? Transaction { get; }

    /// <summary>Gets how many tasks are waiting to be written.</summary>
    public int PendingCount => _pending.Count;

    internal IntegrationScope? Outer => _outer;

    /// <summary>Logs a change: synchronous connectors are called now, asynchronous tasks are written when the scope completes.</summary>
    /// <param name="obj">The changed object, after the change (before it, for a delete).</param>
    /// <param name="taskType">The operation.</param>
    /// <param name="cancellationToken">Cancels synchronous connector calls.</param>
    /// <returns>A task that completes when the change is matched and synchronous connectors have run.</returns>
    /// <exception cref="InvalidOperationException">The scope has completed or been disposed.</exception>
    /// <exception cref="ArgumentException">The task type does not fit the object (a page operation on an object, <c>All</c>).</exception>
    public ValueTask LogChangeAsync(BusObject obj, TaskType taskType, CancellationToken cancellationToken = default) =>
        LogChangeAsync(obj, taskType, previous: null, cancellationToken);

    /// <summary>Logs a change; an update whose fields equal <paramref name="previous"/> logs nothing.</summary>
    /// <param name="obj">The changed object, after the change.</param>
    /// <param name="taskType">The operation.</param>
    /// <param name="previous">The object before the change, or <see langword="null"/> when unknown.</param>
    /// <param name="cancellationToken">Cancels synchronous connector calls.</param>
    /// <returns>A task that completes when the change is matched and synchronous connectors have run.</returns>
    /// <exception cref="InvalidOperationException">The scope has completed or been disposed.</exception>
    public ValueTask LogChangeAsync(BusObject obj, TaskType taskType, BusObject? previous, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_completed)
        {
            throw new InvalidOperationException("This IntegrationScope has completed; begin a new scope to log more changes.");
        }

        return _bus.LogIntoAsync(_pending, obj, taskType, previous, cancellationToken);
    }

    /// <summary>Writes the logged tasks in one batch (inside the caller's transaction, when there is one).</summary>
    /// <param name="cancellationToken">Cancels the write; nothing is written then.</param>
    /// <returns>A task that completes when the tasks are stored.</returns>
    /// <exception cref="InvalidOperationException">The scope has already completed.</exception>
    public async Task CompleteAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_completed)
        {
            throw new InvalidOperationException("This IntegrationScope has already completed.");
        }

        await _bus.EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        _touched = await _bus.Logger.WriteAsync(_pending, Transaction, cancellationToken).ConfigureAwait(false);
        _completed = true;
        _pending.Clear();
        if (Transaction is null)
        {
            Wake();
        }
    }

    /// <summary>Ends the scope: restores the outer ambient scope and, for a caller's transaction, wakes the runners.</summary>
    /// <returns>A completed task.</returns>
    public ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return ValueTask.CompletedTask;
        }

        _disposed = true;
        _bus.EndScope(this);
        if (_completed && Transaction is not null)
        {
            Wake();
        }

        _pending.Clear();
        return ValueTask.CompletedTask;
    }

    private void Wake()
    {
        if (_touched is not null)
        {
            _bus.Logger.Wake(_touched);
            _touched = null;
        }
    }
}
