using System.Data.Common;
using IntegrationBus.Webhooks;

namespace IntegrationBus.Storage;

/// <summary>The queue part of a <see cref="TaskStore"/>: append tasks, fetch a queue's next batch, record results.</summary>
/// <remarks>Queues are per (connector, direction) and ordered by ascending task ID; IDs are never reused.</remarks>
public abstract class QueueStore
{
    /// <summary>Gets a value indicating whether the store can split an outgoing queue ordered per key into partitions, each leased on its own.</summary>
    /// <remarks>
    /// A store that says so honours <see cref="QueueKey.Partition"/> and <see cref="QueueKey.Partitions"/> in
    /// <see cref="FetchAsync"/> (only the tasks whose ordering key hashes to the partition; every task of one key in one
    /// partition, whatever node asks) and in its <see cref="LeaseStore"/> (one lease per partition, and no grant while a
    /// live lease of the same queue was granted for another partition count, so nodes configured differently never run
    /// one key twice at once). A store that does not runs such a queue whole, on one runner at a time.
    /// </remarks>
    /// <value><see langword="false"/> unless the store overrides it.</value>
    public virtual bool SupportsPartitions => false;

    /// <summary>Appends tasks in one batch: one task row each and one synchronization row per connector.</summary>
    /// <param name="tasks">The tasks, in the order they happened.</param>
    /// <param name="transaction">
    /// The caller's open transaction on the same database, or <see langword="null"/> for a transaction of the
    /// store's own. With a transaction the tasks exist if and only if the caller commits.
    /// </param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The IDs given to the tasks, in order.</returns>
    /// <exception cref="ArgumentException">A task is invalid, or the transaction does not belong to the store's database.</exception>
    public abstract Task<IReadOnlyList<long>> AppendAsync(IReadOnlyList<NewIntegrationTask> tasks, DbTransaction? transaction, CancellationToken cancellationToken);

    /// <summary>Appends tasks synchronously inside the caller's transaction.</summary>
    /// <remarks>
    /// The one synchronous I/O member: EF Core's synchronous <c>SaveChanges</c> hook cannot await. Everything else
    /// uses <see cref="AppendAsync"/>.
    /// </remarks>
    /// <param name="tasks">The tasks, in the order they happened.</param>
    /// <param name="transaction">The caller's open transaction on the same database.</param>
    /// <returns>The IDs given to the tasks, in order.</returns>
    /// <exception cref="ArgumentException">A task is invalid, or the transaction does not belong to the store's database.</exception>
    public abstract IReadOnlyList<long> Append(IReadOnlyList<NewIntegrationTask> tasks, DbTransaction transaction);

    /// <summary>Gets a value indicating whether the store can append on a connection enlisted in an ambient System.Transactions transaction (<see cref="AppendEnlistedAsync"/>).</summary>
    /// <value><see langword="false"/> unless the store overrides it.</value>
    public virtual bool SupportsEnlistedAppends => false;

    /// <summary>
    /// Appends tasks as <see cref="AppendAsync"/> does, on the caller's open connection to the same database, enlisted in
    /// the ambient System.Transactions transaction (a <c>TransactionScope</c>): the tasks exist if and only if it commits.
    /// </summary>
    /// <param name="tasks">The tasks, in the order they happened.</param>
    /// <param name="connection">The caller's open connection, enlisted in <see cref="System.Transactions.Transaction.Current"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The IDs given to the tasks, in order.</returns>
    /// <exception cref="ArgumentException">A task is invalid, or the connection is not an open connection to the store's database.</exception>
    /// <exception cref="InvalidOperationException">There is no ambient transaction.</exception>
    /// <exception cref="NotSupportedException">The store cannot (<see cref="SupportsEnlistedAppends"/> is <see langword="false"/>).</exception>
    public virtual Task<IReadOnlyList<long>> AppendEnlistedAsync(IReadOnlyList<NewIntegrationTask> tasks, DbConnection connection, CancellationToken cancellationToken)
        => throw NotEnlisted();

    /// <summary>Appends tasks synchronously as <see cref="AppendEnlistedAsync"/> does (for synchronous hooks such as EF Core's <c>SaveChanges</c>).</summary>
    /// <param name="tasks">The tasks, in the order they happened.</param>
    /// <param name="connection">The caller's open connection, enlisted in <see cref="System.Transactions.Transaction.Current"/>.</param>
    /// <returns>The IDs given to the tasks, in order.</returns>
    /// <exception cref="ArgumentException">A task is invalid, or the connection is not an open connection to the store's database.</exception>
    /// <exception cref="InvalidOperationException">There is no ambient transaction.</exception>
    /// <exception cref="NotSupportedException">The store cannot (<see cref="SupportsEnlistedAppends"/> is <see langword="false"/>).</exception>
    public virtual IReadOnlyList<long> AppendEnlisted(IReadOnlyList<NewIntegrationTask> tasks, DbConnection connection)
        => throw NotEnlisted();

    /// <summary>
    /// Appends incoming tasks in one transaction, in order. An append whose idempotency key was already used for its
    /// connector within its retention window (earlier, or earlier in the same batch) appends nothing and returns the
    /// earlier task. Each key check and append is atomic.
    /// </summary>
    /// <param name="appends">The tasks with their keys; each task names exactly one connector.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>One result per append, in order: the task's ID and GUID and whether it was a repeat.</returns>
    public abstract Task<IReadOnlyList<IncomingAppendResult>> AppendIncomingAsync(IReadOnlyList<IncomingAppend> appends, CancellationToken cancellationToken);

    /// <summary>
    /// Appends one incoming task that arrived as a verified Standard Webhooks message, and records the message's ID in the
    /// same transaction, for every node: the same message again at the same connector is a repeat of the first task; the
    /// same ID at another connector or with another body is refused. Each check and append is atomic.
    /// </summary>
    /// <remarks>
    /// A recorded ID counts while it was recorded at or after <see cref="IncomingAppend.NotBefore"/>; an older record is
    /// replaced. Records go with retention (<see cref="RetentionCutoffs.WebhookMessagesBefore"/>). The default
    /// implementation throws <see cref="NotSupportedException"/>, so a store that has not implemented it never accepts a
    /// webhook without replay protection.
    /// </remarks>
    /// <param name="append">The task (one connector) and the window; its <see cref="IncomingAppend.IdempotencyKey"/> must be <see langword="null"/>, since the message ID plays that part.</param>
    /// <param name="receipt">The message's ID and body hash.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>What was done and the task's ID and GUID (the first task's, when repeated).</returns>
    /// <exception cref="ArgumentException">The task or the receipt is invalid, or the append carries an idempotency key.</exception>
    /// <exception cref="NotSupportedException">The store does not record webhook messages.</exception>
    public virtual Task<WebhookAppendResult> AppendWebhookAsync(IncomingAppend append, WebhookReceipt receipt, CancellationToken cancellationToken) =>
        throw new NotSupportedException($"{GetType().Name} does not record Standard Webhooks message IDs, so it cannot protect webhooks against replays; use a store that does (SQLite, PostgreSQL) or the X-IntegrationBus-Signature scheme.");

    /// <summary>Reads the next tasks of a queue, oldest first.</summary>
    /// <remarks>
    /// Returns pending tasks, tasks in <see cref="SynchronizationStatus.Error"/> (due or not: the runner decides, because
    /// an error at the head holds the queue), and tasks in <see cref="SynchronizationStatus.Skipped"/> whose next attempt
    /// is due at <see cref="FetchRequest.Now"/>. Tasks parked as <see cref="SynchronizationStatus.Failed"/> are never returned.
    /// </remarks>
    /// <param name="request">The queue, the position after which to read, the batch size and the current time.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The tasks in ascending ID order.</returns>
    public abstract Task<IReadOnlyList<QueuedTask>> FetchAsync(FetchRequest request, CancellationToken cancellationToken);

    /// <summary>Records the results of a batch in one transaction, fenced by the runner's lease.</summary>
    /// <remarks>
    /// <para>
    /// When <see cref="RecordRequest.Lease"/>'s token is no longer the queue's current token (another runner took the
    /// lease since), nothing is recorded and the tasks stay as they were, for the new owner.
    /// </para>
    /// <para>
    /// <c>Ok</c> (and an outcome marked <see cref="TaskOutcome.Discard"/>) removes the connector's synchronization row,
    /// and the task with its attempt log once no connector needs it (also when several connectors acknowledge one task
    /// at the same moment). <c>Error</c> and <c>ErrorAndSkip</c> count an attempt, store the message, the next attempt
    /// and the status (<see cref="SynchronizationStatus.Failed"/> when <see cref="TaskOutcome.Park"/>, which stores no next attempt) and add an
    /// attempt-log entry. <c>SkipNow</c> records nothing.
    /// </para>
    /// <para>
    /// An OK with <see cref="TaskOutcome.ExternalId"/> writes the connector's ID-map entry of the task's object (type
    /// and GUID; none without a GUID), and one with <see cref="TaskOutcome.ForgetExternalId"/> removes it, in the same
    /// transaction and in outcome order (see <see cref="TaskStore.IdMap"/>). A store without an ID map ignores both.
    /// </para>
    /// </remarks>
    /// <param name="request">The lease, the outcomes and whether delivered tasks go to the history.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns><see langword="true"/> when recorded; <see langword="false"/> when the lease is stale (or the queue unknown) and nothing was recorded.</returns>
    public abstract Task<bool> RecordAsync(RecordRequest request, CancellationToken cancellationToken);

    private NotSupportedException NotEnlisted() => new(
        $"{GetType().Name} cannot append tasks inside an ambient System.Transactions transaction (a TransactionScope); pass a transaction of its database to AppendAsync instead.");
}
