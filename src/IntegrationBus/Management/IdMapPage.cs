using IntegrationBus.Storage;

namespace IntegrationBus.Management;

/// <summary>One page of a connector's ID map.</summary>
public sealed record IdMapPage
{
    /// <summary>Gets the entries, in ascending <see cref="IdMapEntry.Id"/> order.</summary>
    public required IReadOnlyList<IdMapEntry> Items { get; init; }

    /// <summary>Gets the entry ID to read the next page after (<see cref="IdMapQuery.After"/>), or <see langword="null"/> on the last page.</summary>
    public long? Next { get; init; }
}
