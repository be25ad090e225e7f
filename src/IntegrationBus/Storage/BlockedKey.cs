namespace IntegrationBus.Storage;

/// <summary>A key of a connector under per-object ordering that a parked task holds: its head and how many tasks wait behind it.</summary>
/// <remarks>
/// A key is blocked by a synchronization with status <see cref="SynchronizationStatus.Failed"/> that carries the key and
/// was not released; every later task (greater ID) of the same connector, direction and key waits behind it. The head is
/// the lowest such task.
/// </remarks>
public sealed record BlockedKey
{
    /// <summary>Gets the connector.</summary>
    public required string Connector { get; init; }

    /// <summary>Gets the direction of the blocked queue.</summary>
    public required TaskDirection Direction { get; init; }

    /// <summary>Gets the ordering key.</summary>
    public required string Key { get; init; }

    /// <summary>Gets the head: the parked task that holds the key (ID, GUID, operation, object).</summary>
    public required IntegrationTaskInfo Head { get; init; }

    /// <summary>Gets the head's failed attempts.</summary>
    public int Attempts { get; init; }

    /// <summary>Gets the head's last error message.</summary>
    public string? LastError { get; init; }

    /// <summary>Gets when the head was last attempted.</summary>
    public DateTimeOffset? LastRunAt { get; init; }

    /// <summary>Gets how many later tasks of the key wait behind the head (in any status).</summary>
    public long Waiting { get; init; }
}
