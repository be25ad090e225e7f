using Microsoft.EntityFrameworkCore.ChangeTracking;

namespace IntegrationBus.EntityFrameworkCore;

/// <summary>What one DbContext has captured for the bus between SavingChanges and the end of its transaction.</summary>
/// <param name="begin">Begins a capture of the bus's: one for the context's own and explicit transactions, one more per ambient transaction it joins.</param>
/// <param name="lease">The context's lease (<see cref="Microsoft.EntityFrameworkCore.DbContextId.Lease"/>): a pooled context rented again gets a new state.</param>
internal sealed class SaveState(Func<ChangeCapture> begin, int lease)
{
    private readonly Lock _gate = new();

    // The ambient transaction the context's saves joined last, and its capture; cleared when it completes.
    private (System.Transactions.Transaction Transaction, ChangeCapture Capture)? _ambient;

    // The capture of the ambient transaction the save in progress joined; null for the others.
    private ChangeCapture? _joined;

    // Marks of the savepoints open in the context's transaction, innermost on top: EF Core's interceptor does not pass
    // their names, so a rollback or release applies to the innermost (EF Core's own savepoint for a save in a transaction
    // is created and released inside that save, also when it rolls back to it).
    private readonly Stack<CaptureSavepoint> _savepoints = new();

    /// <summary>Gets the lease of the context this state belongs to.</summary>
    public int Lease { get; } = lease;

    /// <summary>Gets the capture of the context's saves in its own or the application's explicit transactions, which their commit or rollback ends.</summary>
    public ChangeCapture Own { get; } = begin();

    /// <summary>Gets the capture the save in progress adds to: <see cref="Own"/>, or the capture of the ambient transaction it joined.</summary>
    public ChangeCapture Capture => _joined ?? Own;

    public List<CapturedEntry> Captured { get; } = [];

    public List<(EntityEntry Entry, BindingMapping Binding, bool Deleted)> Bindings { get; } = [];

    /// <summary>Changed rows that a tracked owner's computed fields read (a page's tag join rows, attachments).</summary>
    public List<(EntityEntry Entry, EntityMapping Owner, string OwnerKey, bool Deleted)> ComputedSources { get; } = [];

    public List<(object Entity, TaskType Operation)> PageOperations { get; } = [];

    /// <summary>
    /// Gets or sets what ends a save in the bus's own transaction once the caller's SaveChanges ends (accepts the
    /// entries when asked, turns change detection back on); <see langword="null"/> when nothing waits.
    /// </summary>
    public Action? PendingEnd { get; set; }

    /// <summary>
    /// Gets or sets whether the changes are captured after the save instead of before: set when the bus runs the
    /// application's save in a transaction of its own, whose nested SaveChanges saves without accepting, so its
    /// <c>SavedChanges</c> finds the entries with the states and original values they were saved with, right after EF Core
    /// detected the changes (one scan of the tracker, not one more of the bus's own). Cleared once captured and whenever
    /// the captured entries are cleared; each attempt of a retried save sets it again.
    /// </summary>
    public bool CaptureAfterSave { get; set; }

    public bool HasWork => Captured.Count > 0 || Bindings.Count > 0 || ComputedSources.Count > 0 || PageOperations.Count > 0;

    /// <summary>Starts a save: it adds to <see cref="Own"/> unless it joins an ambient transaction (<see cref="Join"/>, <see cref="Rejoin"/>).</summary>
    public void BeginSave() => _joined = null;

    /// <summary>A savepoint was created in the context's transaction: marks <see cref="Own"/>.</summary>
    public void SavepointCreated() => _savepoints.Push(Own.CreateSavepoint());

    /// <summary>The transaction rolled back to its innermost savepoint: the synchronous calls captured since go (the savepoint stays).</summary>
    public void RolledBackToSavepoint()
    {
        if (_savepoints.TryPeek(out var savepoint))
        {
            Own.RolledBackToSavepoint(savepoint);
        }
    }

    /// <summary>The innermost savepoint was released.</summary>
    public void SavepointReleased() => _savepoints.TryPop(out _);

    /// <summary>A transaction began (or was adopted): what an earlier one left, ended without events the bus saw (disposed uncommitted), is forgotten.</summary>
    /// <remarks>Not the captured entries: the bus's own transaction begins after its save queued the page operations.</remarks>
    public void TransactionBegan()
    {
        _savepoints.Clear();
        Own.RolledBack();
    }

    /// <summary>Makes the save in progress add to the capture of the ambient transaction the context's earlier saves joined, if it is this one.</summary>
    /// <param name="transaction">The ambient transaction.</param>
    /// <returns><see langword="true"/> when the context's saves already joined <paramref name="transaction"/>.</returns>
    public bool Rejoin(System.Transactions.Transaction transaction)
    {
        lock (_gate)
        {
            if (_ambient is { } ambient && ReferenceEquals(ambient.Transaction, transaction))
            {
                _joined = ambient.Capture;
                return true;
            }

            return false;
        }
    }

    /// <summary>
    /// Makes the save in progress add to a new capture, of an ambient transaction the context had not joined. Each ambient
    /// transaction has a capture of its own because a pooled context can be rented again, and save in another
    /// transaction, before the one its last save joined has completed.
    /// </summary>
    /// <param name="transaction">The ambient transaction.</param>
    /// <returns>The transaction's capture; the caller ends it when the transaction completes (and calls <see cref="EndAmbient"/>).</returns>
    public ChangeCapture Join(System.Transactions.Transaction transaction)
    {
        lock (_gate)
        {
            _joined = begin();
            _ambient = (transaction, _joined);
            return _joined;
        }
    }

    /// <summary>Forgets an ambient transaction that completed (if the context has not joined another since); the caller ends its capture.</summary>
    /// <param name="transaction">The completed transaction.</param>
    public void EndAmbient(System.Transactions.Transaction transaction)
    {
        lock (_gate)
        {
            if (_ambient is { } ambient && ReferenceEquals(ambient.Transaction, transaction))
            {
                _ambient = null;
            }
        }
    }

    /// <summary>After the commit of the context's own or explicit transaction: forgets the entries, wakes the runners and starts the synchronous connector calls.</summary>
    public void Committed()
    {
        EndTransaction();
        Own.Committed();
    }

    /// <summary>After the commit, from an asynchronous hook: forgets the entries, wakes the runners and calls the synchronous connectors (awaited).</summary>
    /// <returns>A task that completes when the synchronous connectors have run.</returns>
    public Task CommittedAsync()
    {
        EndTransaction();
        return Own.CommittedAsync(CancellationToken.None);
    }

    /// <summary>After a rollback of the context's own or explicit transaction: forgets everything captured.</summary>
    public void RolledBack()
    {
        EndTransaction();
        Own.RolledBack();
    }

    private void EndTransaction()
    {
        ClearCaptured();
        _savepoints.Clear();
    }

    public void ClearCaptured()
    {
        CaptureAfterSave = false;
        Captured.Clear();
        Bindings.Clear();
        ComputedSources.Clear();
        PageOperations.Clear();
    }
}

/// <summary>One entry SaveChanges is about to write, with the object as it was before (for updates and deletes).</summary>
internal sealed record CapturedEntry(EntityEntry Entry, EntityMapping Mapping, Microsoft.EntityFrameworkCore.EntityState State, BusObject? Before);
