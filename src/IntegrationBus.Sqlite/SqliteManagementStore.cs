using IntegrationBus.Storage;
using Microsoft.Data.Sqlite;

namespace IntegrationBus.Sqlite;

/// <summary>The management part of the <see cref="SqliteTaskStore"/>: queue overviews, task lists, retry, delete, audit and history.</summary>
internal sealed class SqliteManagementStore(SqliteDatabase database) : ManagementStore
{
    // Totals count the synchronization primary key, the other statuses the partial index of unfinished rows (pending is
    // the rest), so counting reads no task row. The oldest task is the queue's head: the first task still to deliver in
    // queue (ID) order, one seek per queue. At a million tasks: 0.16 s instead of 1.2 s for a join over every row.
    private const string QueuesSql = """
        WITH totals AS MATERIALIZED (
            SELECT connector_id, direction, COUNT(*) AS total
            FROM integration_synchronization
            GROUP BY connector_id, direction),
        unfinished AS MATERIALIZED (
            SELECT connector_id, direction, SUM(status = 1) AS errors, SUM(status = 2) AS skipped, SUM(status = 3) AS failed
            FROM integration_synchronization INDEXED BY ix_integration_synchronization_unfinished
            WHERE status <> 0
            GROUP BY connector_id, direction),
        queues AS (
            SELECT connector_id, direction FROM totals
            UNION
            SELECT connector_id, direction FROM integration_lease)
        SELECT c.name, q.direction,
               COALESCE(n.total, 0) - COALESCE(u.errors, 0) - COALESCE(u.skipped, 0) - COALESCE(u.failed, 0),
               COALESCE(u.errors, 0), COALESCE(u.skipped, 0), COALESCE(u.failed, 0),
               (SELECT t.created_at
                FROM integration_synchronization s JOIN integration_task t ON t.id = s.task_id
                WHERE s.connector_id = q.connector_id AND s.direction = q.direction AND s.status <> 3
                ORDER BY s.task_id
                LIMIT 1),
               l.owner, l.acquired_at, l.expires_at
        FROM queues q
        JOIN integration_connector c ON c.id = q.connector_id
        LEFT JOIN totals n ON n.connector_id = q.connector_id AND n.direction = q.direction
        LEFT JOIN unfinished u ON u.connector_id = q.connector_id AND u.direction = q.direction
        LEFT JOIN integration_lease l ON l.connector_id = q.connector_id AND l.direction = q.direction AND l.expires_at <> 0
        ORDER BY c.name, q.direction;
        """;

    private const string TaskSql = $"SELECT {SqliteValues.TaskInfoColumns}, t.payload, t.trace_parent, t.trace_state FROM integration_task t WHERE t.id = @task_id;";

    private const string TaskSynchronizationsSql = $"""
        SELECT {SqliteValues.SynchronizationColumns}
        FROM integration_synchronization s JOIN integration_connector c ON c.id = s.connector_id
        WHERE s.task_id = @task_id
        ORDER BY c.name, s.direction;
        """;

    private const string ConnectorCondition = " AND s.connector_id = (SELECT id FROM integration_connector WHERE name = @connector)";

    private const string RetryOneSql =
        "UPDATE integration_synchronization AS s SET status = 0, attempts = 0, next_attempt_at = NULL, released = 0 WHERE s.task_id = @task_id AND s.status <> 0";

    private const string DeleteOneSql = "DELETE FROM integration_synchronization AS s WHERE s.task_id = @task_id";

    /// <inheritdoc/>
    /// <remarks>
    /// Counting reads every synchronization row (its primary key only). <see cref="QueueSummary.OldestCreatedAt"/> is the
    /// logging time of the queue's head, its first task still to deliver in queue order: tasks are numbered as they are
    /// logged, so that is the oldest unless a caller logged a change with an earlier time after a later one. A released
    /// lease shows no owner.
    /// </remarks>
    public override async Task<IReadOnlyList<QueueSummary>> GetQueuesAsync(CancellationToken cancellationToken)
    {
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = connection.CreateCommand();
            command.CommandText = QueuesSql;
            var queues = new List<QueueSummary>();
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                queues.Add(new QueueSummary
                {
                    Queue = new QueueKey(reader.GetString(0), (TaskDirection)reader.GetInt32(1)),
                    Pending = reader.GetInt64(2),
                    Errors = reader.GetInt64(3),
                    Skipped = reader.GetInt64(4),
                    Failed = reader.GetInt64(5),
                    OldestCreatedAt = SqliteValues.ReadTime(reader, 6),
                    LeaseOwner = SqliteValues.ReadString(reader, 7),
                    LeaseAcquiredAt = SqliteValues.ReadTime(reader, 8),
                    LeaseExpiresAt = SqliteValues.ReadTime(reader, 9),
                });
            }

            return queues;
        }
    }

    /// <inheritdoc/>
    public override async Task<IReadOnlyList<TaskSummary>> ListTasksAsync(TaskQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var filter = SqliteTaskFilter.Create(database, connection, null, query, paged: true, onlyUnfinished: false);
            return filter is null ? [] : SqliteTaskListing.List(connection, null, filter).ConvertAll(r => r.Row);
        }
    }

    /// <inheritdoc/>
    public override async Task<long> CountTasksAsync(TaskQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var filter = SqliteTaskFilter.Create(database, connection, null, query, paged: false, onlyUnfinished: false);
            return filter is null ? 0 : SqliteTaskListing.Count(connection, filter);
        }
    }

    /// <inheritdoc/>
    public override async Task<TaskDetail?> GetTaskAsync(long taskId, CancellationToken cancellationToken)
    {
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            // One read transaction: the task and its synchronizations from the same snapshot.
            using var transaction = connection.BeginTransaction(deferred: true);
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = TaskSql;
            command.Parameters.AddWithValue("@task_id", taskId);
            IntegrationTaskInfo task;
            string payload;
            string? traceParent, traceState;
            using (var reader = command.ExecuteReader())
            {
                if (!reader.Read())
                {
                    return null;
                }

                task = SqliteValues.ReadTaskInfo(reader, 0);
                payload = reader.GetString(SqliteValues.TaskInfoColumnCount);
                traceParent = SqliteValues.ReadString(reader, SqliteValues.TaskInfoColumnCount + 1);
                traceState = SqliteValues.ReadString(reader, SqliteValues.TaskInfoColumnCount + 2);
            }

            command.CommandText = TaskSynchronizationsSql;
            var synchronizations = new List<SynchronizationState>();
            using (var reader = command.ExecuteReader())
            {
                while (reader.Read())
                {
                    synchronizations.Add(SqliteValues.ReadSynchronization(reader, 0));
                }
            }

            return new TaskDetail { Task = task, Payload = payload, TraceParent = traceParent, TraceState = traceState, Synchronizations = synchronizations };
        }
    }

    /// <inheritdoc/>
    public override Task<IReadOnlyList<AttemptRecord>> GetAttemptsAsync(long taskId, CancellationToken cancellationToken)
        => SqliteActivityLog.GetAttemptsAsync(database, taskId, cancellationToken);

    /// <inheritdoc/>
    public override async Task<int> RetryAsync(long taskId, string? connector, CancellationToken cancellationToken)
    {
        var scope = await database.BeginWriteAsync(cancellationToken).ConfigureAwait(false);
        await using (scope.ConfigureAwait(false))
        {
            using var command = scope.CreateCommand(connector is null ? RetryOneSql + ";" : RetryOneSql + ConnectorCondition + ";");
            command.Parameters.AddWithValue("@task_id", taskId);
            command.Parameters.AddWithValue("@connector", SqliteValues.ToDb(connector));
            var count = command.ExecuteNonQuery();
            await scope.CommitAsync(cancellationToken).ConfigureAwait(false);
            return count;
        }
    }

    /// <inheritdoc/>
    public override async Task<int> DeleteAsync(long taskId, string? connector, CancellationToken cancellationToken)
    {
        var scope = await database.BeginWriteAsync(cancellationToken).ConfigureAwait(false);
        await using (scope.ConfigureAwait(false))
        {
            int count;
            using (var command = scope.CreateCommand(connector is null ? DeleteOneSql + ";" : DeleteOneSql + ConnectorCondition + ";"))
            {
                command.Parameters.AddWithValue("@task_id", taskId);
                command.Parameters.AddWithValue("@connector", SqliteValues.ToDb(connector));
                count = command.ExecuteNonQuery();
            }

            if (count > 0)
            {
                SqliteTaskCleanup.Run(scope, [taskId]);
            }

            await scope.CommitAsync(cancellationToken).ConfigureAwait(false);
            return count;
        }
    }

    /// <inheritdoc/>
    public override Task<BulkBatchResult> RetryManyAsync(TaskQuery query, CancellationToken cancellationToken)
        => ChangeManyAsync(query, retry: true, cancellationToken);

    /// <inheritdoc/>
    public override Task<BulkBatchResult> DeleteManyAsync(TaskQuery query, CancellationToken cancellationToken)
        => ChangeManyAsync(query, retry: false, cancellationToken);

    /// <inheritdoc/>
    public override Task<long> AppendAuditAsync(AuditEntry entry, CancellationToken cancellationToken)
        => SqliteActivityLog.AppendAuditAsync(database, entry, cancellationToken);

    /// <inheritdoc/>
    public override Task<IReadOnlyList<AuditEntry>> ListAuditAsync(AuditQuery query, CancellationToken cancellationToken)
        => SqliteActivityLog.ListAuditAsync(database, query, cancellationToken);

    /// <inheritdoc/>
    public override Task<IReadOnlyList<DeliveredTask>> ListHistoryAsync(HistoryQuery query, CancellationToken cancellationToken)
        => SqliteActivityLog.ListHistoryAsync(database, query, cancellationToken);

    private async Task<BulkBatchResult> ChangeManyAsync(TaskQuery query, bool retry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var scope = await database.BeginWriteAsync(cancellationToken).ConfigureAwait(false);
        await using (scope.ConfigureAwait(false))
        {
            var filter = SqliteTaskFilter.Create(database, scope.Connection, scope.Transaction, query, paged: true, onlyUnfinished: retry);
            var rows = filter is null ? [] : SqliteTaskListing.List(scope.Connection, scope.Transaction, filter);
            if (rows.Count == 0)
            {
                return new BulkBatchResult { Count = 0 };
            }

            var count = retry ? SqliteTaskListing.Retry(scope, rows) : SqliteTaskListing.Delete(scope, rows);
            await scope.CommitAsync(cancellationToken).ConfigureAwait(false);
            return new BulkBatchResult { Count = count, Last = rows[^1].Row.Position };
        }
    }
}
