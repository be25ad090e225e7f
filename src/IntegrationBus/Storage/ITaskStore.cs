using System.Data.Common;
using IntegrationBus.Model;

namespace IntegrationBus.Storage;

/// <summary>The one abstraction over the database that holds the queues.</summary>
/// <remarks>
/// Implementations are thread-safe singletons. Every method that decides on time takes <c>now</c> from the caller;
/// SQL never uses the database clock. Queues are per (connector, direction) and ordered by ascending task ID.
/// </remarks>
public interface ITaskStore
{
    /// <summary>Creates or upgrades the schema. Called once at start, before any other member.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the schema is ready.</returns>
    Task InitializeAsync(CancellationToken cancellationToken);

    /// <summary>Appends tasks in one batch: one task row each and one synchronization row per connector.</summary>
    /// <param name="tasks">The tasks, in the order they happened.</param>
    /// <param name="transaction">
    /// The caller's open transaction on the same database, or <see langword="null"/> for a transaction of the
    /// store's own. With a transaction the tasks exist if and only if the caller commits.
    /// </param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The IDs given to the tasks, in order.</returns>
    Task<IReadOnlyList<long>> AppendAsync(IReadOnlyList<NewIntegrationTask> tasks, DbTransaction? transaction, CancellationToken cancellationToken);

    /// <summary>Appends tasks synchronously inside the caller's transaction.</summary>
    /// <remarks>
    /// The one synchronous I/O member: EF Core's synchronous <c>SaveChanges</c> hook cannot await. Everything else
    /// uses <see cref="AppendAsync"/>.
    /// </remarks>
    /// <param name="tasks">The tasks, in the order they happened.</param>
    /// <param name="transaction">The caller's open transaction on the same database.</param>
    /// <returns>The IDs given to the tasks, in order.</returns>
    IReadOnlyList<long> Append(IReadOnlyList<NewIntegrationTask> tasks, DbTransaction transaction);

    /// <summary>
    /// Appends incoming tasks in one transaction, in order. An append whose idempotency key was already used for its
    /// connector within its retention window (earlier, or earlier in the same batch) appends nothing and returns the
    /// earlier task. Each key check and append is atomic.
    /// </summary>
    /// <param name="appends">The tasks with their keys.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>One result per append, in order: the task's ID and GUID and whether it was a repeat.</returns>
    Task<IReadOnlyList<IncomingAppendResult>> AppendIncomingAsync(IReadOnlyList<IncomingAppend> appends, CancellationToken cancellationToken);

    /// <summary>Reads the next tasks of a queue, oldest first, skipping tasks parked as failed.</summary>
    /// <param name="connector">The connector.</param>
    /// <param name="direction">The direction.</param>
    /// <param name="afterTaskId">Only tasks with a greater ID; 0 from the start.</param>
    /// <param name="limit">The batch size.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The tasks in ascending ID order.</returns>
    Task<IReadOnlyList<QueuedTask>> FetchAsync(string connector, TaskDirection direction, long afterTaskId, int limit, CancellationToken cancellationToken);

    /// <summary>Records the results of a batch in one transaction.</summary>
    /// <remarks>
    /// <c>Ok</c> (and an outcome marked <see cref="TaskOutcome.Discard"/>) removes the connector's synchronization row,
    /// and the task when no connector needs it any more.
    /// <c>Error</c> and <c>ErrorAndSkip</c> count an attempt, store the message and next attempt and add an
    /// attempt-log entry. <c>SkipNow</c> records nothing.
    /// </remarks>
    /// <param name="connector">The connector.</param>
    /// <param name="direction">The direction.</param>
    /// <param name="outcomes">The outcomes.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the results are stored.</returns>
    Task RecordAsync(string connector, TaskDirection direction, IReadOnlyList<TaskOutcome> outcomes, CancellationToken cancellationToken);

    /// <summary>Takes or renews the runner lease of a queue.</summary>
    /// <param name="connector">The connector.</param>
    /// <param name="direction">The direction.</param>
    /// <param name="owner">The runner's unique owner ID.</param>
    /// <param name="now">The current time.</param>
    /// <param name="duration">How long the lease lasts unless renewed.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns><see langword="true"/> when <paramref name="owner"/> holds the lease until <paramref name="now"/> + <paramref name="duration"/>.</returns>
    Task<bool> TryAcquireLeaseAsync(string connector, TaskDirection direction, string owner, DateTimeOffset now, TimeSpan duration, CancellationToken cancellationToken);

    /// <summary>Gives a lease up so another runner can take it at once.</summary>
    /// <param name="connector">The connector.</param>
    /// <param name="direction">The direction.</param>
    /// <param name="owner">The owner that holds it; a lease held by another owner is left alone.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the lease is released.</returns>
    Task ReleaseLeaseAsync(string connector, TaskDirection direction, string owner, CancellationToken cancellationToken);

    /// <summary>Adds connectors that the store does not know yet (enabled) and updates display names.</summary>
    /// <param name="connectors">The connectors' code names and display names.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The state of every known connector.</returns>
    Task<IReadOnlyList<ConnectorState>> RegisterConnectorsAsync(IReadOnlyList<ConnectorState> connectors, CancellationToken cancellationToken);

    /// <summary>Reads every known connector.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The connectors.</returns>
    Task<IReadOnlyList<ConnectorState>> GetConnectorsAsync(CancellationToken cancellationToken);

    /// <summary>Enables or disables a connector.</summary>
    /// <param name="connector">The connector.</param>
    /// <param name="enabled">The new state.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns><see langword="true"/> when the connector exists.</returns>
    Task<bool> SetConnectorEnabledAsync(string connector, bool enabled, CancellationToken cancellationToken);

    /// <summary>Reads the stored settings.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The settings by key.</returns>
    Task<IReadOnlyDictionary<string, string>> GetSettingsAsync(CancellationToken cancellationToken);

    /// <summary>Stores a setting.</summary>
    /// <param name="key">The key.</param>
    /// <param name="value">The value.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the setting is stored.</returns>
    Task SetSettingAsync(string key, string value, CancellationToken cancellationToken);

    /// <summary>Counts tasks per queue and status.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>One summary per queue that has tasks.</returns>
    Task<IReadOnlyList<QueueSummary>> GetQueuesAsync(CancellationToken cancellationToken);

    /// <summary>Lists synchronizations that match a filter, in ascending task ID order.</summary>
    /// <param name="query">The filter.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The matching rows, at most <see cref="TaskQuery.Limit"/>.</returns>
    Task<IReadOnlyList<TaskSummary>> ListAsync(TaskQuery query, CancellationToken cancellationToken);

    /// <summary>Counts synchronizations that match a filter (ignoring its paging).</summary>
    /// <param name="query">The filter.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The count.</returns>
    Task<long> CountAsync(TaskQuery query, CancellationToken cancellationToken);

    /// <summary>Reads a task's attempt log, oldest first.</summary>
    /// <param name="taskId">The task.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The attempts.</returns>
    Task<IReadOnlyList<AttemptRecord>> GetAttemptsAsync(long taskId, CancellationToken cancellationToken);

    /// <summary>Reads a task's payload.</summary>
    /// <param name="taskId">The task.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The payload, or <see langword="null"/> when the task does not exist.</returns>
    Task<string?> GetPayloadAsync(long taskId, CancellationToken cancellationToken);

    /// <summary>Makes errored, skipped or failed synchronizations of a task pending again, due at once.</summary>
    /// <param name="taskId">The task.</param>
    /// <param name="connector">Only this connector, or every connector of the task.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>How many synchronizations were reset.</returns>
    Task<int> RetryAsync(long taskId, string? connector, CancellationToken cancellationToken);

    /// <summary>Deletes a task's synchronizations (and the task once none is left).</summary>
    /// <param name="taskId">The task.</param>
    /// <param name="connector">Only this connector, or every connector of the task.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>How many synchronizations were deleted.</returns>
    Task<int> DeleteAsync(long taskId, string? connector, CancellationToken cancellationToken);

    /// <summary>Applies retention: deletes attempt-log entries, parked (failed) synchronizations and idempotency keys older than a cut-off.</summary>
    /// <param name="olderThan">The cut-off.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>How many rows were deleted.</returns>
    Task<int> PurgeAsync(DateTimeOffset olderThan, CancellationToken cancellationToken);
}
