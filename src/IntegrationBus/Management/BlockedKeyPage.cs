using IntegrationBus.Storage;

namespace IntegrationBus.Management;

/// <summary>One page of a connector's blocked keys.</summary>
public sealed record BlockedKeyPage
{
    /// <summary>Gets the blocked keys, by key (ordinal) then direction.</summary>
    public required IReadOnlyList<BlockedKey> Items { get; init; }

    /// <summary>Gets the key to read the next page after (<see cref="BlockedKeyQuery.After"/>), or <see langword="null"/> on the last page.</summary>
    public string? Next { get; init; }

    /// <summary>Gets the direction of <see cref="Next"/> (<see cref="BlockedKeyQuery.AfterDirection"/>), or <see langword="null"/> on the last page.</summary>
    public TaskDirection? NextDirection { get; init; }
}
