namespace IntegrationBus.Storage;

/// <summary>The lease part of a <see cref="TaskStore"/>: at most one runner per queue across every node.</summary>
/// <remarks>
/// <para>
/// A lease is held until it expires unless renewed. Each grant gets a fencing token higher than every earlier token of
/// that queue, and <see cref="QueueStore.RecordAsync"/> refuses results recorded under a token that is no longer
/// current, so a runner that lost its lease (a long pause, a partition) cannot overwrite its successor's work.
/// </para>
/// <para>
/// Lease time: a store whose database has a clock shared by every node (a server database's <c>now()</c>) judges
/// expiry by that clock and ignores the <c>now</c> it is given, because nodes' clocks drift and a lease judged by a
/// fast node's clock could be stolen while it is live; <see cref="UsesStoreClock"/> says so. An embedded store uses
/// the <c>now</c> it is given. Either way the returned <see cref="QueueLease.ExpiresAt"/> is in the store's time; a
/// runner counts its own deadline from the moment it sent the request.
/// </para>
/// </remarks>
public abstract class LeaseStore
{
    /// <summary>Gets a value indicating whether lease expiry is judged by the database's clock instead of the <c>now</c> passed in.</summary>
    /// <value><see langword="false"/> unless the store overrides it.</value>
    public virtual bool UsesStoreClock => false;

    /// <summary>Takes a queue's lease when it is free, expired, or held by the same owner; every grant gets a new, higher token.</summary>
    /// <param name="request">The queue, the owner, the duration and the current time.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The lease, or <see langword="null"/> when another owner holds it.</returns>
    public abstract Task<QueueLease?> TryAcquireAsync(LeaseRequest request, CancellationToken cancellationToken);

    /// <summary>Extends a lease whose token is still the queue's current token (even if it expired meanwhile, as long as nobody took it); a released lease cannot be renewed.</summary>
    /// <param name="lease">The lease to renew.</param>
    /// <param name="duration">How long from now the lease lasts.</param>
    /// <param name="now">The current time (ignored when <see cref="UsesStoreClock"/>).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The renewed lease (same token, later expiry), or <see langword="null"/> when the lease was lost.</returns>
    public abstract Task<QueueLease?> RenewAsync(QueueLease lease, TimeSpan duration, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Gives a lease up so another runner can take it at once; a lease whose token is no longer current is left alone.</summary>
    /// <param name="lease">The lease.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the lease is released.</returns>
    public abstract Task ReleaseAsync(QueueLease lease, CancellationToken cancellationToken);
}
