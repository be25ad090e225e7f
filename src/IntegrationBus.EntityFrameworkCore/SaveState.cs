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

    /// <summary>Gets or sets the handler, subscribed to the context's <c>SavedChanges</c> event, that accepts the entries the bus saved in its own transaction once the caller's SaveChanges ends.</summary>
    public EventHandler<Microsoft.EntityFrameworkCore.SavedChangesEventArgs>? PendingAccept { get; set; }

    /// <summary>
    /// Gets or sets whether what is captured is current for the save about to run: set when the bus runs the application's
    /// save in a transaction of its own, so the nested SaveChanges uses what the outer one captured instead of scanning the
    /// tracker again; cleared by the nested save and whenever the captured entries are cleared (a retried attempt captures anew).
    /// </summary>
    public bool CaptureCurrent { get; set; }

    public bool HasWork => Captured.Count > 0 || Bindings.Count > 0 || ComputedSources.Count > 0 || PageOperations.Count > 0;

    public void ClearCaptured()
    {
        CaptureCurrent = false;
        Captured.Clear();
        Bindings.Clear();
        ComputedSources.Clear();
        PageOperations.Clear();
    }
}

/// <summary>One entry SaveChanges is about to write, with the object as it was before (for updates and deletes).</summary>
internal sealed record CapturedEntry(EntityEntry Entry, EntityMapping Mapping, Microsoft.EntityFrameworkCore.EntityState State, BusObject? Before);
