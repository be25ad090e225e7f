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
}
