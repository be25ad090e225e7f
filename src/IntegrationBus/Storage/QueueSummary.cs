
namespace IntegrationBus.Storage;

/// <summary>The size, health and runner of one queue (connector and direction).</summary>
public sealed record QueueSummary
{
    /// <summary>Gets the queue.</summary>
    public required QueueKey Queue { get; init; }

    /// <summary>Gets the connector.</summary>
    public string Connector => Queue.Connector;

    /// <summary>Gets the direction.</summary>
    public TaskDirection Direction => Queue.Direction;

    /// <summary>Gets the tasks waiting.</summary>
    public long Pending { get; init; }

    /// <summary>Gets the tasks in error (an error at the head holds the queue until its retry is due).</summary>
    public long Errors { get; init; }

    /// <summary>Gets the tasks that failed with ErrorAndSkip and wait for their retry.</summary>
    public long Skipped { get; init; }

    /// <summary>Gets the tasks parked as failed, waiting for an operator.</summary>
    public long Failed { get; init; }

    /// <summary>Gets every task still to deliver: pending, in error or skipped (parked ones not included).</summary>
    public long Depth => Pending + Errors + Skipped;

    /// <summary>Gets when the queue's head (the first task still to deliver, in queue order) was logged, or <see langword="null"/> when there is none.</summary>
    /// <remarks>The head, not a minimum over every row: cheap in any store, and the same unless a caller logs an earlier time after a later one.</remarks>
    public DateTimeOffset? OldestCreatedAt { get; init; }

    /// <summary>Gets the owner of the queue's lease, or <see langword="null"/> when nobody holds it (never taken, or released).</summary>
    /// <remarks>For a queue split into partitions (<see cref="ConnectorOptions.Partitions"/>), the owners of its partitions' leases, comma-separated, with the earliest grant and expiry among them.</remarks>
    public string? LeaseOwner { get; init; }

    /// <summary>Gets when the owner took the lease.</summary>
    public DateTimeOffset? LeaseAcquiredAt { get; init; }

    /// <summary>Gets when the lease expires unless renewed (in the store's time).</summary>
    public DateTimeOffset? LeaseExpiresAt { get; init; }
}
