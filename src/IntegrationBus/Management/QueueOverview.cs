using IntegrationBus.Storage;

namespace IntegrationBus.Management;

/// <summary>One queue (a connector in one direction) as an operator sees it.</summary>
public sealed record QueueOverview
{
    /// <summary>Gets the queue.</summary>
    public required QueueKey Queue { get; init; }

    /// <summary>Gets the connector's code name.</summary>
    public string Connector => Queue.Connector;

    /// <summary>Gets the direction.</summary>
    public TaskDirection Direction => Queue.Direction;

    /// <summary>Gets the connector's display name.</summary>
    public required string DisplayName { get; init; }

    /// <summary>Gets a value indicating whether the connector is enabled.</summary>
    public required bool Enabled { get; init; }

    /// <summary>Gets a value indicating whether this application registers the connector (a shared store may hold queues of others).</summary>
    public required bool Registered { get; init; }

    /// <summary>Gets the tasks waiting.</summary>
    public long Pending { get; init; }

    /// <summary>Gets the tasks in error; an error at the head holds the queue until its retry is due.</summary>
    public long Errors { get; init; }

    /// <summary>Gets the tasks that failed with ErrorAndSkip and wait for their retry.</summary>
    public long Skipped { get; init; }

    /// <summary>Gets the tasks parked as failed, waiting for an operator.</summary>
    public long Failed { get; init; }

    /// <summary>Gets every task still to deliver (pending, in error or skipped).</summary>
    public long Depth => Pending + Errors + Skipped;

    /// <summary>Gets when the oldest task still to deliver was logged.</summary>
    public DateTimeOffset? OldestCreatedAt { get; init; }

    /// <summary>Gets the age of the oldest task still to deliver (the queue's lag), or <see langword="null"/> when it is empty.</summary>
    public TimeSpan? Lag { get; init; }

    /// <summary>Gets the node that holds (or last held) the queue's lease.</summary>
    public string? LeaseOwner { get; init; }

    /// <summary>Gets since when the owner holds the lease.</summary>
    public DateTimeOffset? LeaseAcquiredAt { get; init; }

    /// <summary>Gets when the lease expires unless renewed (in the store's time).</summary>
    public DateTimeOffset? LeaseExpiresAt { get; init; }

    /// <summary>Gets the stored state of the connector's circuit breaker (outgoing queues only).</summary>
    /// <value><see langword="null"/> for incoming queues and while no state is stored (the breaker is off or has never changed: closed).</value>
    public CircuitBreakerState? CircuitBreaker { get; init; }
}
