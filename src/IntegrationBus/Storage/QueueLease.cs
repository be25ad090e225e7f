namespace IntegrationBus.Storage;

/// <summary>A granted lease on one queue.</summary>
public sealed record QueueLease
{
    /// <summary>Gets the queue.</summary>
    public required QueueKey Queue { get; init; }

    /// <summary>Gets the owner that holds it.</summary>
    public required string Owner { get; init; }

    /// <summary>Gets the fencing token: higher than every token granted for the queue before.</summary>
    public required long Token { get; init; }

    /// <summary>Gets when the owner took the lease (renewals keep it), in the store's time.</summary>
    public required DateTimeOffset AcquiredAt { get; init; }

    /// <summary>Gets when the lease expires unless renewed, in the store's time.</summary>
    public required DateTimeOffset ExpiresAt { get; init; }

    /// <summary>Gets a value indicating whether the store asks the holder to give the lease up at its next batch boundary.</summary>
    /// <remarks>
    /// A store that spreads queues across nodes sets it on a renewal when this owner holds more than its share and another
    /// live node holds less; the runner finishes and records its batch, then releases the lease for that node to take.
    /// </remarks>
    /// <value><see langword="false"/> unless the store spreads queues.</value>
    public bool YieldRequested { get; init; }
}
