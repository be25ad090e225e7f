namespace IntegrationBus.Storage;

/// <summary>A request for a queue's lease.</summary>
public sealed record LeaseRequest
{
    /// <summary>Gets the queue.</summary>
    public required QueueKey Queue { get; init; }

    /// <summary>Gets the runner's unique owner ID (node and runner).</summary>
    public required string Owner { get; init; }

    /// <summary>Gets how long the lease lasts unless renewed.</summary>
    public required TimeSpan Duration { get; init; }

    /// <summary>Gets the current time (ignored by a store that uses its own clock).</summary>
    public required DateTimeOffset Now { get; init; }
}
