using Microsoft.EntityFrameworkCore.ChangeTracking;

namespace IntegrationBus.EntityFrameworkCore;

/// <summary>What one DbContext has captured for the bus between SavingChanges and the end of its transaction.</summary>
internal sealed class SaveState(ChangeCapture capture)
{
    /// <summary>Gets the bus's capture: matched tasks to write in the transaction, runners to wake and synchronous calls to make after the commit.</summary>
    public ChangeCapture Capture { get; } = capture;

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

    /// <summary>Gets or sets the ambient System.Transactions transaction whose completion ends this capture, once a save inside it had bus changes.</summary>
    public System.Transactions.Transaction? Ambient { get; set; }

    public bool HasWork => Captured.Count > 0 || Bindings.Count > 0 || ComputedSources.Count > 0 || PageOperations.Count > 0;

    /// <summary>After the commit: forgets the entries, wakes the runners and starts the synchronous connector calls.</summary>
    public void Committed()
    {
        ClearCaptured();
        Capture.Committed();
    }

    /// <summary>After the commit, from an asynchronous hook: forgets the entries, wakes the runners and calls the synchronous connectors (awaited).</summary>
    /// <returns>A task that completes when the synchronous connectors have run.</returns>
    public Task CommittedAsync()
    {
        ClearCaptured();
        return Capture.CommittedAsync(CancellationToken.None);
    }

    /// <summary>After a rollback (or a save refused before it wrote anything): forgets everything captured.</summary>
    public void RolledBack()
    {
        ClearCaptured();
        Capture.RolledBack();
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
