using System.Text;
using IntegrationBus.Connectors;
using IntegrationBus.Model;
using IntegrationBus.Storage;
using Microsoft.Data.Sqlite;

namespace IntegrationBus.Sqlite;

/// <summary>The operator's side of the store: queues, listing, attempt logs, retry, delete and retention.</summary>
internal sealed class SqliteManagement(SqliteDatabase database)
{
    private const string QueuesSql = """
        SELECT c.name, s.direction,
               SUM(s.status = 0), SUM(s.status = 1), SUM(s.status = 2), SUM(s.status = 3), MIN(t.created_at)
        FROM integration_synchronization s
        JOIN integration_connector c ON c.id = s.connector_id
        JOIN integration_task t ON t.id = s.task_id
        GROUP BY s.connector_id, s.direction
        ORDER BY c.name, s.direction;
        """;

    private const string ConnectorFilter = " AND s.connector_id = (SELECT id FROM integration_connector WHERE name = @connector)";

    private const string PurgeSql = """
        DELETE FROM integration_attempt WHERE attempted_at < @older_than;
        DELETE FROM integration_synchronization WHERE status = 3 AND last_run_at < @older_than;
        DELETE FROM integration_attempt WHERE NOT EXISTS (SELECT 1 FROM integration_synchronization s WHERE s.task_id = integration_attempt.task_id);
        DELETE FROM integration_task WHERE NOT EXISTS (SELECT 1 FROM integration_synchronization s WHERE s.task_id = integration_task.id);
        DELETE FROM integration_idempotency WHERE created_at < @older_than;
        """;

    /// <summary>Counts tasks per queue and status; see <see cref="ITaskStore.GetQueuesAsync"/>.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>One summary per non-empty queue.</returns>
    public async Task<IReadOnlyList<QueueSummary>> GetQueuesAsync(CancellationToken cancellationToken)
    {
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = connection.CreateCommand();
            command.CommandText = QueuesSql;
            var queues = new List<QueueSummary>();
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    queues.Add(new QueueSummary(
                        reader.GetString(0), (TaskDirection)reader.GetInt32(1), reader.GetInt64(2), reader.GetInt64(3),
                        reader.GetInt64(4), reader.GetInt64(5), SqliteValues.ReadTime(reader, 6)));
                }
            }

            return queues;
        }
    }

    /// <summary>Lists synchronizations; see <see cref="ITaskStore.ListAsync"/>.</summary>
    /// <param name="query">The filter.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The rows.</returns>
    public async Task<IReadOnlyList<TaskSummary>> ListAsync(TaskQuery query, CancellationToken cancellationToken)
    {
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = connection.CreateCommand();
            var sql = new StringBuilder($"SELECT {SqliteValues.TaskSummaryColumns} FROM integration_synchronization s ")
                .Append("JOIN integration_task t ON t.id = s.task_id JOIN integration_connector c ON c.id = s.connector_id WHERE s.task_id > @after");
            AppendFilters(command, sql, query);
            sql.Append(" ORDER BY s.task_id, s.connector_id, s.direction LIMIT @limit;");
            command.Parameters.AddWithValue("@limit", query.Limit);
            SetText(command, sql);
            var rows = new List<TaskSummary>();
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    rows.Add(SqliteValues.ReadTaskSummary(reader));
                }
            }

            return rows;
        }
    }

    /// <summary>Counts synchronizations; see <see cref="ITaskStore.CountAsync"/>.</summary>
    /// <param name="query">The filter; its paging is ignored.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The count.</returns>
    public async Task<long> CountAsync(TaskQuery query, CancellationToken cancellationToken)
    {
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = connection.CreateCommand();
            var sql = new StringBuilder("SELECT COUNT(*) FROM integration_synchronization s JOIN integration_task t ON t.id = s.task_id WHERE 1 = 1");
            AppendFilters(command, sql, query with { AfterTaskId = 0 });
            SetText(command, sql);
            return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        }
    }

    /// <summary>Reads a task's attempt log; see <see cref="ITaskStore.GetAttemptsAsync"/>.</summary>
    /// <param name="taskId">The task.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The attempts, oldest first.</returns>
    public async Task<IReadOnlyList<AttemptRecord>> GetAttemptsAsync(long taskId, CancellationToken cancellationToken)
    {
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = connection.CreateCommand();
            command.CommandText = """
                SELECT a.task_id, c.name, a.attempted_at, a.result, a.message
                FROM integration_attempt a JOIN integration_connector c ON c.id = a.connector_id
                WHERE a.task_id = @task_id ORDER BY a.id;
                """;
            command.Parameters.AddWithValue("@task_id", taskId);
            var attempts = new List<AttemptRecord>();
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    attempts.Add(new AttemptRecord(
                        reader.GetInt64(0), reader.GetString(1), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)),
                        (TaskResultKind)reader.GetInt32(3), reader.IsDBNull(4) ? null : reader.GetString(4)));
                }
            }

            return attempts;
        }
    }

    /// <summary>Reads a task's payload; see <see cref="ITaskStore.GetPayloadAsync"/>.</summary>
    /// <param name="taskId">The task.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The payload, or <see langword="null"/>.</returns>
    public async Task<string?> GetPayloadAsync(long taskId, CancellationToken cancellationToken)
    {
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT payload FROM integration_task WHERE id = @task_id;";
            command.Parameters.AddWithValue("@task_id", taskId);
            return (string?)await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Makes failed synchronizations pending again; see <see cref="ITaskStore.RetryAsync"/>.</summary>
    /// <param name="taskId">The task.</param>
    /// <param name="connector">Only this connector, or all.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>How many were reset.</returns>
    public async Task<int> RetryAsync(long taskId, string? connector, CancellationToken cancellationToken)
    {
        var scope = await database.BeginWriteAsync(cancellationToken).ConfigureAwait(false);
        await using (scope.ConfigureAwait(false))
        {
            using var command = scope.CreateCommand(connector is null
                ? "UPDATE integration_synchronization AS s SET status = 0, attempts = 0, next_attempt_at = NULL WHERE s.task_id = @task_id AND s.status <> 0;"
                : "UPDATE integration_synchronization AS s SET status = 0, attempts = 0, next_attempt_at = NULL WHERE s.task_id = @task_id AND s.status <> 0" + ConnectorFilter + ";");
            command.Parameters.AddWithValue("@task_id", taskId);
            command.Parameters.AddWithValue("@connector", SqliteValues.ToDb(connector));
            var count = await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            await scope.CommitAsync(cancellationToken).ConfigureAwait(false);
            return count;
        }
    }

    /// <summary>Deletes a task's synchronizations; see <see cref="ITaskStore.DeleteAsync"/>.</summary>
    /// <param name="taskId">The task.</param>
    /// <param name="connector">Only this connector, or all.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>How many were deleted.</returns>
    public async Task<int> DeleteAsync(long taskId, string? connector, CancellationToken cancellationToken)
    {
        var scope = await database.BeginWriteAsync(cancellationToken).ConfigureAwait(false);
        await using (scope.ConfigureAwait(false))
        {
            // The schema's trigger deletes the task and its attempt log with its last synchronization row.
            using var command = scope.CreateCommand(connector is null
                ? "DELETE FROM integration_synchronization AS s WHERE s.task_id = @task_id;"
                : "DELETE FROM integration_synchronization AS s WHERE s.task_id = @task_id" + ConnectorFilter + ";");
            command.Parameters.AddWithValue("@task_id", taskId);
            command.Parameters.AddWithValue("@connector", SqliteValues.ToDb(connector));
            var count = await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);

            await scope.CommitAsync(cancellationToken).ConfigureAwait(false);
            return count;
        }
    }

    /// <summary>Applies retention; see <see cref="ITaskStore.PurgeAsync"/>.</summary>
    /// <param name="olderThan">The cut-off.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>How many rows were deleted.</returns>
    public async Task<int> PurgeAsync(DateTimeOffset olderThan, CancellationToken cancellationToken)
    {
        var scope = await database.BeginWriteAsync(cancellationToken).ConfigureAwait(false);
        await using (scope.ConfigureAwait(false))
        {
            using var command = scope.CreateCommand(PurgeSql);
            command.Parameters.AddWithValue("@older_than", SqliteValues.ToUnixMs(olderThan));
            var count = await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            await scope.CommitAsync(cancellationToken).ConfigureAwait(false);
            return count;
        }
    }

    private static void AppendFilters(SqliteCommand command, StringBuilder sql, TaskQuery query)
    {
        command.Parameters.AddWithValue("@after", query.AfterTaskId);
        if (query.Connector is not null)
        {
            sql.Append(ConnectorFilter);
            command.Parameters.AddWithValue("@connector", query.Connector);
        }

        if (query.Direction is { } direction)
        {
            sql.Append(" AND s.direction = @direction");
            command.Parameters.AddWithValue("@direction", (int)direction);
        }

        if (query.Status is { } status)
        {
            sql.Append(" AND s.status = @status");
            command.Parameters.AddWithValue("@status", (int)status);
        }

        if (query.ObjectType is not null)
        {
            sql.Append(" AND t.object_type = @object_type");
            command.Parameters.AddWithValue("@object_type", query.ObjectType);
        }
    }

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA2100:Review SQL queries for security vulnerabilities",
        Justification = "The text is built from constant fragments only; every value is a parameter.")]
    private static void SetText(SqliteCommand command, StringBuilder sql) => command.CommandText = sql.ToString();
}
