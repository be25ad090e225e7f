namespace IntegrationBus.Storage;

/// <summary>The retention part of a <see cref="TaskStore"/>: deletes what is older than the retention settings allow.</summary>
public abstract class RetentionStore
{
    /// <summary>Deletes, for each cut-off that is set, the rows older than it; no other row is touched.</summary>
    /// <remarks>
    /// Attempt-log entries by attempt time; parked (<see cref="SynchronizationStatus.Failed"/>) synchronizations by
    /// their last run (and their task once no connector needs it); idempotency keys, history entries and audit entries by
    /// the time they were written. A pending, errored or skipped task is never deleted by retention.
    /// </remarks>
    /// <param name="cutoffs">The cut-offs; <see langword="null"/> ones are skipped.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>How many rows of each kind were deleted.</returns>
    public abstract Task<PurgeResult> PurgeAsync(RetentionCutoffs cutoffs, CancellationToken cancellationToken);
}
