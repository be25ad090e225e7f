using Microsoft.EntityFrameworkCore.ChangeTracking;

namespace IntegrationBus.EntityFrameworkCore;

/// <summary>Turns a change tracker's automatic change detection off until disposed, then restores what it was.</summary>
/// <remarks>For code that reads or changes entries right after changes were detected (or only through the tracker), where each <c>Entries()</c> / <c>Entry</c> call would otherwise scan every tracked entity again.</remarks>
internal readonly struct AutoDetectChangesOff : IDisposable
{
    private readonly ChangeTracker _tracker;
    private readonly bool _enabled;

    public AutoDetectChangesOff(ChangeTracker tracker)
    {
        _tracker = tracker;
        _enabled = tracker.AutoDetectChangesEnabled;
        tracker.AutoDetectChangesEnabled = false;
    }

    public void Dispose() => _tracker.AutoDetectChangesEnabled = _enabled;
}
