using IntegrationBus.Storage;
using Npgsql;

namespace IntegrationBus.PostgreSql;

/// <summary>The management part of the <see cref="PostgreSqlTaskStore"/>: queue overviews, task lists, retry, delete, audit and history.</summary>
internal sealed class PostgreSqlManagementStore(PostgreSqlDatabase database) : ManagementStore
{
    // Totals count the synchronization primary key, the other statuses the partial index of unfinished rows (pending is
    // the rest), so counting reads no task row. The oldest task is the queue's head: one index seek per queue. A split
    // queue's partitions each have a lease: the owners are listed together, with the earliest grant and expiry.
    private const string QueuesSql = """
        WITH totals AS (
            SELECT connector_id, direction, count(*) AS total FROM ibus.integration_synchronization GROUP BY connector_id, direction),
        unfinished AS (
            SELECT connector_id, direction, count(*) FILTER (WHERE status = 1) AS errors, count(*) FILTER (WHERE status = 2) AS skipped,
                   count(*) FILTER (WHERE status = 3) AS failed
            FROM ibus.integration_synchronization WHERE status <> 0 GROUP BY connector_id, direction),
        queues AS (
            SELECT connector_id, direction FROM totals
            UNION
            SELECT connector_id, direction FROM ibus.integration_lease)
        SELECT c.name, q.direction,
               COALESCE(n.total, 0) - COALESCE(u.errors, 0) - COALESCE(u.skipped, 0) - COALESCE(u.failed, 0),
               COALESCE(u.errors, 0), COALESCE(u.skipped, 0), COALESCE(u.failed, 0),
               (SELECT t.created_at
                FROM ibus.integration_synchronization s JOIN ibus.integration_task t ON t.id = s.task_id
                WHERE s.connector_id = q.connector_id AND s.direction = q.direction AND s.status <> 3
                ORDER BY s.task_id
                LIMIT 1),
               l.owner, l.acquired_at, l.expires_at
        FROM queues q
        JOIN ibus.integration_connector c ON c.id = q.connector_id
        LEFT JOIN totals n ON n.connector_id = q.connector_id AND n.direction = q.direction
        LEFT JOIN unfinished u ON u.connector_id = q.connector_id AND u.direction = q.direction
        LEFT JOIN LATERAL (
            SELECT string_agg(DISTINCT p.owner, ', ' ORDER BY p.owner) AS owner, min(p.acquired_at) AS acquired_at, min(p.expires_at) AS expires_at
            FROM ibus.integration_lease p
            WHERE p.connector_id = q.connector_id AND p.direction = q.direction AND p.expires_at <> '-infinity') l ON true
        ORDER BY lower(c.name) COLLATE "C", q.direction;
        """;

    // One statement, so the task and its synchronizations come from one snapshot.
    private const string TaskSql = $"""
        SELECT {PostgreSqlValues.TaskInfoColumns}, t.payload, t.trace_parent, t.trace_state, {PostgreSqlValues.SynchronizationColumns}
        FROM ibus.integration_task t
        LEFT JOIN ibus.integration_synchronization s ON s.task_id = t.id
        LEFT JOIN ibus.integration_connector c ON c.id = s.connector_id
        WHERE t.id = @task_id
        ORDER BY {PostgreSqlValues.ConnectorOrder}, s.direction;
        """;

    private const string ConnectorCondition = " AND s.connector_id = (SELECT id FROM ibus.integration_connector WHERE lower(name) = lower(@connector))";

    private const string RetryOneSql =
        "UPDATE ibus.integration_synchronization AS s SET status = 0, attempts = 0, next_attempt_at = NULL, released = false WHERE s.task_id = @task_id AND s.status <> 0";

    private const string DeleteOneSql = "DELETE FROM ibus.integration_synchronization AS s WHERE s.task_id = @task_id";

    /// <inheritdoc/>
    /// <remarks>
    /// <see cref="QueueSummary.OldestCreatedAt"/> is the logging time of the queue's head, its first task still to deliver
    /// in queue order. A released lease shows no owner; a split queue shows every node that holds one of its partitions.
    /// </remarks>
    public override async Task<IReadOnlyList<QueueSummary>> GetQueuesAsync(CancellationToken cancellationToken)
    {
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = database.Command(connection, null, QueuesSql);
            var queues = new List<QueueSummary>();
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    queues.Add(new QueueSummary
                    {
                        Queue = new QueueKey(reader.GetString(0), (TaskDirection)reader.GetInt16(1)),
                        Pending = reader.GetInt64(2),
                        Errors = reader.GetInt64(3),
                        Skipped = reader.GetInt64(4),
                        Failed = reader.GetInt64(5),
                        OldestCreatedAt = PostgreSqlValues.ReadOptionalTime(reader, 6),
                        LeaseOwner = PostgreSqlValues.ReadString(reader, 7),
                        LeaseAcquiredAt = PostgreSqlValues.ReadOptionalTime(reader, 8),
                        LeaseExpiresAt = PostgreSqlValues.ReadOptionalTime(reader, 9),
                    });
                }
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
            var filter = await PostgreSqlTaskFilter.CreateAsync(database, connection, query, paged: true, onlyUnfinished: false, cancellationToken).ConfigureAwait(false);
            return filter is null ? [] : (await PostgreSqlTaskListing.ListAsync(database, connection, null, filter, cancellationToken).ConfigureAwait(false)).ConvertAll(r => r.Row);
        }
    }

    /// <inheritdoc/>
    public override async Task<long> CountTasksAsync(TaskQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var filter = await PostgreSqlTaskFilter.CreateAsync(database, connection, query, paged: false, onlyUnfinished: false, cancellationToken).ConfigureAwait(false);
            return filter is null ? 0 : await PostgreSqlTaskListing.CountAsync(database, connection, filter, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    public override async Task<TaskDetail?> GetTaskAsync(long taskId, CancellationToken cancellationToken)
    {
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = database.Command(connection, null, TaskSql);
            command.Parameters.AddWithValue("task_id", taskId);
            TaskDetail? detail = null;
            var synchronizations = new List<SynchronizationState>();
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                const int Columns = PostgreSqlValues.TaskInfoColumnCount;
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    detail ??= new TaskDetail
                    {
                        Task = PostgreSqlValues.ReadTaskInfo(reader, 0),
                        Payload = reader.GetString(Columns),
                        TraceParent = PostgreSqlValues.ReadString(reader, Columns + 1),
                        TraceState = PostgreSqlValues.ReadString(reader, Columns + 2),
                        Synchronizations = synchronizations,
                    };
                    if (!reader.IsDBNull(Columns + 3))
                    {
                        synchronizations.Add(PostgreSqlValues.ReadSynchronization(reader, Columns + 3));
                    }
                }
            }

            return detail;
        }
    }

    /// <inheritdoc/>
    public override Task<IReadOnlyList<AttemptRecord>> GetAttemptsAsync(long taskId, CancellationToken cancellationToken)
        => PostgreSqlActivityLog.GetAttemptsAsync(database, taskId, cancellationToken);

    /// <inheritdoc/>
    public override async Task<int> RetryAsync(long taskId, string? connector, CancellationToken cancellationToken)
    {
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = database.Command(connection, null, connector is null ? RetryOneSql + ";" : RetryOneSql + ConnectorCondition + ";");
            command.Parameters.AddWithValue("task_id", taskId);
            if (connector is not null)
            {
                command.Parameters.AddWithValue("connector", connector);
            }

            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    /// <remarks>The task row is locked first, as every path that deletes synchronization rows does (see <see cref="PostgreSqlTaskCleanup"/>).</remarks>
    public override async Task<int> DeleteAsync(long taskId, string? connector, CancellationToken cancellationToken)
    {
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                using var batch = database.Batch(connection, transaction);
                PostgreSqlTaskCleanup.AddLock(database, batch, [taskId]);
                var delete = database.Add(batch, connector is null ? DeleteOneSql + ";" : DeleteOneSql + ConnectorCondition + ";");
                delete.Parameters.AddWithValue("task_id", taskId);
                if (connector is not null)
                {
                    delete.Parameters.AddWithValue("connector", connector);
                }

                PostgreSqlTaskCleanup.AddCleanup(database, batch, [taskId]);
                await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return delete.RecordsAffected;
            }
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
        => PostgreSqlActivityLog.AppendAuditAsync(database, entry, cancellationToken);

    /// <inheritdoc/>
    public override Task<IReadOnlyList<AuditEntry>> ListAuditAsync(AuditQuery query, CancellationToken cancellationToken)
        => PostgreSqlActivityLog.ListAuditAsync(database, query, cancellationToken);

    /// <inheritdoc/>
    public override Task<IReadOnlyList<DeliveredTask>> ListHistoryAsync(HistoryQuery query, CancellationToken cancellationToken)
        => PostgreSqlActivityLog.ListHistoryAsync(database, query, cancellationToken);

    private async Task<BulkBatchResult> ChangeManyAsync(TaskQuery query, bool retry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var filter = await PostgreSqlTaskFilter.CreateAsync(database, connection, query, paged: true, onlyUnfinished: retry, cancellationToken).ConfigureAwait(false);
            if (filter is null)
            {
                return new BulkBatchResult { Count = 0 };
            }

            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                var rows = await PostgreSqlTaskListing.ListAsync(database, connection, transaction, filter, cancellationToken).ConfigureAwait(false);
                if (rows.Count == 0)
                {
                    return new BulkBatchResult { Count = 0 };
                }

                var count = retry
                    ? await PostgreSqlTaskListing.RetryAsync(database, connection, transaction, rows, cancellationToken).ConfigureAwait(false)
                    : await PostgreSqlTaskListing.DeleteAsync(database, connection, transaction, rows, cancellationToken).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return new BulkBatchResult { Count = count, Last = rows[^1].Row.Position };
            }
        }
    }
}
