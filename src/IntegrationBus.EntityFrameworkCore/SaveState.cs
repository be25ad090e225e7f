using IntegrationBus.Connectors;
using IntegrationBus.Model;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Storage;

namespace IntegrationBus.EntityFrameworkCore;

/// <summary>What one DbContext has captured for the bus between SavingChanges and the end of its transaction.</summary>
internal sealed class SaveState
{
    public List<CapturedEntry> Captured { get; } = [];

    public List<(EntityEntry Entry, BindingMapping Binding, bool Deleted)> Bindings { get; } = [];

    /// <summary>Changed rows that a tracked owner's computed fields read (a page's tag join rows, attachments).</summary>
    public List<(EntityEntry Entry, EntityMapping Owner, string OwnerKey, bool Deleted)> ComputedSources { get; } = [];

    public List<(object Entity, TaskType Operation)> PageOperations { get; } = [];

    /// <summary>The transaction the bus began because SaveChanges had none; committed by the bus after the tasks are written.</summary>
    public IDbContextTransaction? OwnedTransaction { get; set; }

    public bool CommittingOwned { get; set; }

    /// <summary>Synchronous connector calls waiting for the commit, with the objects they get.</summary>
    public List<(List<Connector> Connectors, BusObject Object, TaskType TaskType)> AfterCommit { get; } = [];

    public bool[]? Touched { get; set; }

    public bool HasWork => Captured.Count > 0 || Bindings.Count > 0 || ComputedSources.Count > 0 || PageOperations.Count > 0;

    public void AddTouched(bool[] touched)
    {
        if (Touched is null)
        {
            Touched = touched;
            return;
        }

        for (var i = 0; i < touched.Length; i++)
        {
            Touched[i] |= touched[i];
        }
    }

    public void ClearCaptured()
    {
        Captured.Clear();
        Bindings.Clear();
        ComputedSources.Clear();
        PageOperations.Clear();
    }
}

/// <summary>One entry SaveChanges is about to write, with the object as it was before (for updates and deletes).</summary>
internal sealed record CapturedEntry(EntityEntry Entry, EntityMapping Mapping, Microsoft.EntityFrameworkCore.EntityState State, BusObject? Before);
