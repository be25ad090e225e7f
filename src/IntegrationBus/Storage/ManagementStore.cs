namespace IntegrationBus.Storage;

/// <summary>The management part of a <see cref="TaskStore"/>: what operators see and do.</summary>
/// <remarks>
/// Applications do not call it directly: <c>IntegrationBusManagement</c> wraps it (with audit entries and wake-ups), and
/// the HTTP API, dashboard and command-line tool wrap that. Lists use keyset paging, never offsets.
/// </remarks>
public abstract class ManagementStore
{
    /// <summary>Counts tasks per queue and status, with each queue's oldest task and lease holder.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>One summary per queue that has tasks or a lease row, ordered by connector name and direction.</returns>
    public abstract Task<IReadOnlyList<QueueSummary>> GetQueuesAsync(CancellationToken cancellationToken);

    /// <summary>Lists synchronizations that match a filter, ordered by task ID, connector name and direction.</summary>
    /// <param name="query">The filter and page.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>At most <see cref="TaskQuery.Limit"/> rows after <see cref="TaskQuery.After"/>.</returns>
    public abstract Task<IReadOnlyList<TaskSummary>> ListTasksAsync(TaskQuery query, CancellationToken cancellationToken);

    /// <summary>Counts synchronizations that match a filter, ignoring its paging.</summary>
    /// <param name="query">The filter.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The count.</returns>
    public abstract Task<long> CountTasksAsync(TaskQuery query, CancellationToken cancellationToken);

    /// <summary>Reads one task with its payload and every connector's state for it.</summary>
    /// <param name="taskId">The task.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The task, or <see langword="null"/> when it does not exist (any more).</returns>
    public abstract Task<TaskDetail?> GetTaskAsync(long taskId, CancellationToken cancellationToken);

    /// <summary>Reads a task's attempt log, oldest first.</summary>
    /// <param name="taskId">The task.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The attempts.</returns>
    public abstract Task<IReadOnlyList<AttemptRecord>> GetAttemptsAsync(long taskId, CancellationToken cancellationToken);

    /// <summary>Makes errored, skipped or parked synchronizations of a task pending again, due at once, with a fresh attempt count.</summary>
    /// <param name="taskId">The task.</param>
    /// <param name="connector">Only this connector, or every connector of the task.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>How many synchronizations were reset.</returns>
    public abstract Task<int> RetryAsync(long taskId, string? connector, CancellationToken cancellationToken);

    /// <summary>Deletes a task's synchronizations, and the task once no connector needs it.</summary>
    /// <param name="taskId">The task.</param>
    /// <param name="connector">Only this connector, or every connector of the task.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>How many synchronizations were deleted.</returns>
    public abstract Task<int> DeleteAsync(long taskId, string? connector, CancellationToken cancellationToken);

    /// <summary>Retries (as <see cref="RetryAsync"/>) up to <see cref="TaskQuery.Limit"/> matching synchronizations after <see cref="TaskQuery.After"/>, in one transaction.</summary>
    /// <remarks>Pending synchronizations match no retry. Retried tasks keep their IDs, so their order in the queue holds.</remarks>
    /// <param name="query">The filter and the batch.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>How many were retried and where to go on.</returns>
    public abstract Task<BulkBatchResult> RetryManyAsync(TaskQuery query, CancellationToken cancellationToken);

    /// <summary>Deletes (as <see cref="DeleteAsync"/>) up to <see cref="TaskQuery.Limit"/> matching synchronizations after <see cref="TaskQuery.After"/>, in one transaction.</summary>
    /// <param name="query">The filter and the batch.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>How many were deleted and where to go on.</returns>
    public abstract Task<BulkBatchResult> DeleteManyAsync(TaskQuery query, CancellationToken cancellationToken);

    /// <summary>Adds an entry to the audit log.</summary>
    /// <param name="entry">The entry (its <see cref="AuditEntry.Id"/> is ignored).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The stored entry's ID.</returns>
    public abstract Task<long> AppendAuditAsync(AuditEntry entry, CancellationToken cancellationToken);

    /// <summary>Reads the audit log, newest first.</summary>
    /// <param name="query">The page.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The entries.</returns>
    public abstract Task<IReadOnlyList<AuditEntry>> ListAuditAsync(AuditQuery query, CancellationToken cancellationToken);

    /// <summary>Reads the history of delivered tasks, newest first (kept only while the history setting is on).</summary>
    /// <param name="query">The filter and page.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The entries.</returns>
    public abstract Task<IReadOnlyList<DeliveredTask>> ListHistoryAsync(HistoryQuery query, CancellationToken cancellationToken);
}
