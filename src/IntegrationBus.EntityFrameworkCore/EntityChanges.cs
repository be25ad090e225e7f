using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata;

namespace IntegrationBus.EntityFrameworkCore;

/// <summary>Turns what SaveChanges wrote into bus changes: object and page operations, and owner updates for binding rows.</summary>
internal static class EntityChanges
{
    /// <summary>Captures the entries of bus types (and binding and computed-field rows) that the save writes.</summary>
    /// <param name="context">The context.</param>
    /// <param name="model">The bus's view of the EF model.</param>
    /// <param name="state">Receives the captured entries.</param>
    /// <param name="detectChanges">Whether to detect changes first (when automatic detection is on); not when EF Core just did.</param>
    public static void Capture(DbContext context, EntityModel model, SaveState state, bool detectChanges = true)
    {
        var tracker = context.ChangeTracker;
        if (detectChanges && tracker.AutoDetectChangesEnabled)
        {
            tracker.DetectChanges();
        }

        state.Captured.Clear();
        state.Bindings.Clear();
        state.ComputedSources.Clear();
        // Changes were just detected: Entries() would scan every tracked entity again if automatic detection stayed on.
        using (new AutoDetectChangesOff(tracker))
        {
            CaptureEntries(tracker.Entries(), model, state);
        }
    }

    private static void CaptureEntries(IEnumerable<EntityEntry> entries, EntityModel model, SaveState state)
    {
        foreach (var entry in entries)
        {
            if (entry.State is not (EntityState.Added or EntityState.Modified or EntityState.Deleted))
            {
                continue;
            }

            if (model.Find(entry.Metadata) is { } mapping)
            {
                var before = entry.State == EntityState.Added ? null : mapping.FromEntry(entry, original: true);
                state.Captured.Add(new CapturedEntry(entry, mapping, entry.State, before));
                continue;
            }

            foreach (var binding in model.BindingsOfJoin(entry.Metadata))
            {
                state.Bindings.Add((entry, binding, entry.State == EntityState.Deleted));
            }

            foreach (var (owner, ownerKey) in model.ComputedOwnersOf(entry.Metadata))
            {
                state.ComputedSources.Add((entry, owner, ownerKey, entry.State == EntityState.Deleted));
            }
        }
    }

    /// <summary>Describes the saved changes; binding owners that the context does not track are returned to be read.</summary>
    /// <remarks>Runs right after EF Core saved (and detected changes for the save), so its look-ups through the tracker do not detect again.</remarks>
    public static List<(BusObject Object, TaskType TaskType, BusObject? Previous)> Describe(
        DbContext context, EntityModel model, SaveState state, out List<(EntityMapping Owner, long Id)> untrackedOwners)
    {
        using var detectionOff = new AutoDetectChangesOff(context.ChangeTracker);
        var changes = new List<(BusObject Object, TaskType TaskType, BusObject? Previous)>(state.PageOperations.Count + state.Captured.Count);
        var deletedNodes = new HashSet<Guid>();
        foreach (var (entity, operation) in state.PageOperations)
        {
            var entry = context.Entry(entity);
            var mapping = model.Find(entry.Metadata) is { Type.IsPage: true } page
                ? page
                : throw new IntegrationBusException($"'{entry.Metadata.DisplayName()}' is not configured as a bus page type; page operations need Page<{entry.Metadata.ClrType.Name}>(...).");
            var obj = mapping.FromEntry(entry);
            changes.Add((obj, operation, null));
            if (operation == TaskType.DeleteAllCultures && obj.NodeGuid is { } node)
            {
                deletedNodes.Add(node);
            }
        }

        var logged = new HashSet<(string Type, long Id)>(state.Captured.Count);
        foreach (var captured in state.Captured)
        {
            var page = captured.Mapping.Type.IsPage;
            var (obj, taskType) = captured.State switch
            {
                EntityState.Added => (captured.Mapping.FromEntry(captured.Entry), page ? TaskType.CreatePage : TaskType.CreateObject),
                EntityState.Modified => (captured.Mapping.FromEntry(captured.Entry), page ? TaskType.UpdatePage : TaskType.UpdateObject),
                _ => (captured.Before!, page ? TaskType.DeletePage : TaskType.DeleteObject),
            };
            if (taskType == TaskType.DeletePage && obj.NodeGuid is { } node && deletedNodes.Contains(node))
            {
                continue;
            }

            changes.Add((obj, taskType, captured.State == EntityState.Modified ? captured.Before : null));
            logged.Add((obj.TypeName, obj.Id));
        }

        untrackedOwners = [];
        Dictionary<(IEntityType, long), EntityEntry>? tracked = null;
        foreach (var (entry, binding, deleted) in state.Bindings)
        {
            var value = deleted ? entry.OriginalValues[binding.OwnerKey] : entry.CurrentValues[binding.OwnerKey];
            if (value is null || !logged.Add((binding.Owner.Type.Name, Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture))))
            {
                continue;
            }

            var ownerId = Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture);
            var owner = FindTracked(context, binding.Owner, ownerId, ref tracked);
            if (owner is null)
            {
                untrackedOwners.Add((binding.Owner, ownerId));
            }
            else
            {
                changes.Add((binding.Owner.FromEntry(owner), TaskType.UpdateObject, null));
            }
        }

        // A page whose only change is in rows its computed fields read (tags, attachments) changed too. Only a tracked
        // owner is logged: its navigations are loaded, so the computed lists are complete.
        foreach (var (entry, owner, ownerKey, deleted) in state.ComputedSources)
        {
            var value = deleted ? entry.OriginalValues[ownerKey] : entry.CurrentValues[ownerKey];
            if (value is null)
            {
                continue;
            }

            var ownerId = Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture);
            if (logged.Contains((owner.Type.Name, ownerId)) || FindTracked(context, owner, ownerId, ref tracked) is not { } ownerEntry)
            {
                continue;
            }

            logged.Add((owner.Type.Name, ownerId));
            changes.Add((owner.FromEntry(ownerEntry), owner.Type.IsPage ? TaskType.UpdatePage : TaskType.UpdateObject, null));
        }

        return changes;
    }

    /// <summary>Finds a tracked, not deleted entity of a bus type by ID; the index over the tracker is built once per save.</summary>
    private static EntityEntry? FindTracked(DbContext context, EntityMapping mapping, long id, ref Dictionary<(IEntityType, long), EntityEntry>? index)
    {
        if (index is null)
        {
            index = [];
            foreach (var entry in context.ChangeTracker.Entries())
            {
                if (entry.State != EntityState.Deleted
                    && entry.Metadata.FindPrimaryKey() is { Properties.Count: 1 } key
                    && entry.CurrentValues[key.Properties[0]] is { } value
                    && value is int or long or short)
                {
                    index.TryAdd((entry.Metadata, Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture)), entry);
                }
            }
        }

        return mapping.Type.IdField == mapping.EntityType.FindPrimaryKey()?.Properties.SingleOrDefault()?.Name
            ? index.GetValueOrDefault((mapping.EntityType, id))
            : context.ChangeTracker.Entries().FirstOrDefault(e =>
                e.Metadata == mapping.EntityType
                && e.State != EntityState.Deleted
                && e.CurrentValues[mapping.Type.IdField] is { } value
                && Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture) == id);
    }
}
