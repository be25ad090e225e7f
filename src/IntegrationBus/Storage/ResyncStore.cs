using System.Data.Common;

namespace IntegrationBus.Storage;

/// <summary>The resync part of a <see cref="TaskStore"/>: durable resync jobs, claimed by one node at a time, advanced batch by batch.</summary>
/// <remarks>
/// <para>
/// A job is claimed by one node until a claim expiry that every recorded batch extends; an expired claim can be taken
/// by any node (on a server database judged by the database's clock, like leases), which resumes from the cursor.
/// A batch's tasks and the cursor after it are written in one transaction, so a crash never loses or doubles a batch.
/// </para>
/// <para>
/// Every member has a default that throws <see cref="NotSupportedException"/>, so a third-party store keeps compiling;
/// such a store cannot resync. Members that take arguments to check check them, then call the protected
/// <c>…CoreAsync</c> member that a store overrides.
/// </para>
/// </remarks>
public abstract class ResyncStore
{
    /// <summary>Creates a job in the <see cref="ResyncJobState.Running"/> state, unclaimed.</summary>
    /// <param name="job">The job; <see cref="ResyncJob.Id"/>, the state, cursor, count and error are ignored.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The job as stored, with its ID.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="job"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The job names no connector.</exception>
    /// <exception cref="NotSupportedException">The store does not resync.</exception>
    public Task<ResyncJob> CreateAsync(ResyncJob job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentException.ThrowIfNullOrWhiteSpace(job.Connector, nameof(job));
        return CreateCoreAsync(job, cancellationToken);
    }

    /// <summary>Reads one job.</summary>
    /// <param name="id">The job's ID.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The job, or <see langword="null"/> when there is none with that ID.</returns>
    /// <exception cref="NotSupportedException">The store does not resync.</exception>
    public virtual Task<ResyncJob?> GetAsync(long id, CancellationToken cancellationToken) => throw Unsupported();

    /// <summary>Lists jobs, newest first.</summary>
    /// <param name="before">Only jobs with a smaller ID (the previous page's last), or <see langword="null"/> from the newest.</param>
    /// <param name="limit">The most jobs to return.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The jobs in descending ID order.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="limit"/> is not positive.</exception>
    /// <exception cref="NotSupportedException">The store does not resync.</exception>
    public Task<IReadOnlyList<ResyncJob>> ListAsync(long? before, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        return ListCoreAsync(before, limit, cancellationToken);
    }

    /// <summary>Cancels a running job; the batch being worked on when it is cancelled is not recorded.</summary>
    /// <param name="id">The job's ID.</param>
    /// <param name="now">The current time.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Whether a running job was cancelled.</returns>
    /// <exception cref="NotSupportedException">The store does not resync.</exception>
    public virtual Task<bool> CancelAsync(long id, DateTimeOffset now, CancellationToken cancellationToken) => throw Unsupported();

    /// <summary>Claims the oldest running job that no other node holds (unclaimed, claimed by <paramref name="node"/>, or whose claim expired).</summary>
    /// <param name="node">The claiming node.</param>
    /// <param name="duration">How long the claim holds unless a batch extends it.</param>
    /// <param name="now">The current time (a server database judges expiry by its own clock instead).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The claimed job, or <see langword="null"/> when none is free.</returns>
    /// <exception cref="ArgumentException"><paramref name="node"/> is empty.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="node"/> is <see langword="null"/>.</exception>
    /// <exception cref="NotSupportedException">The store does not resync.</exception>
    public Task<ResyncJob?> ClaimAsync(string node, TimeSpan duration, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(node);
        return ClaimCoreAsync(node, duration, now, cancellationToken);
    }

    /// <summary>Records a batch: advances the cursor, adds the count, extends the claim and appends the tasks, in one transaction.</summary>
    /// <remarks>
    /// With <paramref name="transaction"/> (the application's open transaction on the bus's database, the one in which the
    /// batch's objects were read) everything is written inside it and exists if and only if the caller commits; the caller
    /// must roll back when this returns <see langword="false"/>. The cursor is written first, so on SQLite the write lock is
    /// held from then on.
    /// </remarks>
    /// <param name="batch">The batch.</param>
    /// <param name="transaction">The caller's transaction, or <see langword="null"/> for a transaction of the store's own.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>
    /// <see langword="true"/> when recorded; <see langword="false"/> when the job is no longer running or no longer claimed by
    /// <see cref="ResyncBatch.Node"/>, and nothing was written.
    /// </returns>
    /// <exception cref="ArgumentNullException"><paramref name="batch"/> or its tasks are <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The batch names no node, or the store cannot write in a transaction of that type.</exception>
    /// <exception cref="NotSupportedException">The store does not resync.</exception>
    public Task<bool> RecordBatchAsync(ResyncBatch batch, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentException.ThrowIfNullOrWhiteSpace(batch.Node, nameof(batch));
        ArgumentNullException.ThrowIfNull(batch.Tasks, nameof(batch));
        return RecordBatchCoreAsync(batch, transaction, cancellationToken);
    }

    /// <summary>Ends a running job that <paramref name="node"/> claimed: completed, or failed with an error.</summary>
    /// <param name="id">The job's ID.</param>
    /// <param name="node">The node that claimed it.</param>
    /// <param name="state"><see cref="ResyncJobState.Completed"/> or <see cref="ResyncJobState.Failed"/>.</param>
    /// <param name="message">Why it failed, or <see langword="null"/>.</param>
    /// <param name="now">The current time.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Whether the job was ended (<see langword="false"/> when it was no longer running or claimed by the node).</returns>
    /// <exception cref="NotSupportedException">The store does not resync.</exception>
    public virtual Task<bool> FinishAsync(long id, string node, ResyncJobState state, string? message, DateTimeOffset now, CancellationToken cancellationToken) => throw Unsupported();

    /// <summary>Creates a job; called by <see cref="CreateAsync"/> with a checked job.</summary>
    /// <inheritdoc cref="CreateAsync(ResyncJob, CancellationToken)"/>
    protected virtual Task<ResyncJob> CreateCoreAsync(ResyncJob job, CancellationToken cancellationToken) => throw Unsupported();

    /// <summary>Lists jobs, newest first; called by <see cref="ListAsync"/> with a checked limit.</summary>
    /// <inheritdoc cref="ListAsync(long?, int, CancellationToken)"/>
    protected virtual Task<IReadOnlyList<ResyncJob>> ListCoreAsync(long? before, int limit, CancellationToken cancellationToken) => throw Unsupported();

    /// <summary>Claims the oldest free running job; called by <see cref="ClaimAsync"/> with a checked node.</summary>
    /// <inheritdoc cref="ClaimAsync(string, TimeSpan, DateTimeOffset, CancellationToken)"/>
    protected virtual Task<ResyncJob?> ClaimCoreAsync(string node, TimeSpan duration, DateTimeOffset now, CancellationToken cancellationToken) => throw Unsupported();

    /// <summary>Records a batch; called by <see cref="RecordBatchAsync"/> with a checked batch.</summary>
    /// <inheritdoc cref="RecordBatchAsync(ResyncBatch, DbTransaction?, CancellationToken)"/>
    protected virtual Task<bool> RecordBatchCoreAsync(ResyncBatch batch, DbTransaction? transaction, CancellationToken cancellationToken) => throw Unsupported();

    private NotSupportedException Unsupported() =>
        new($"{GetType().Name} does not store resync jobs; use a store that does (SQLite, PostgreSQL) to resync a connector.");
}
