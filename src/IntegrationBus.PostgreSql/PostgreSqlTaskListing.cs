using System.Text;
using IntegrationBus.Storage;
using Npgsql;
using NpgsqlTypes;

namespace IntegrationBus.PostgreSql;

/// <summary>Lists and counts synchronizations for management, and changes a listed batch (bulk retry and delete).</summary>
/// <remarks>
/// Lists are ordered by (task ID, connector name, direction). With a connector the order is the primary key's
/// (connector, direction, task ID) range, read once per direction and merged, so a page reads about a page of rows
/// however long the queue is. Without one, the task-ID index gives the order and only the rows of one task are sorted.
/// </remarks>
internal static class PostgreSqlTaskListing
{
    private const string ListSelectSql = $"""
        SELECT {PostgreSqlValues.TaskInfoColumns}, {PostgreSqlValues.SynchronizationColumns}, s.connector_id
        FROM ibus.integration_synchronization s
        JOIN ibus.integration_task t ON t.id = s.task_id
        JOIN ibus.integration_connector c ON c.id = s.connector_id
        WHERE 1 = 1
        """;

    private const string RetrySql = """
        UPDATE ibus.integration_synchronization AS s SET status = 0, attempts = 0, next_attempt_at = NULL, released = false
        FROM unnest(@row_connector_id, @row_direction, @row_task_id) AS r(connector_id, direction, task_id)
        WHERE s.connector_id = r.connector_id AND s.direction = r.direction AND s.task_id = r.task_id AND s.status <> 0;
        """;

    private const string DeleteSql = """
        DELETE FROM ibus.integration_synchronization AS s
        USING unnest(@row_connector_id, @row_direction, @row_task_id) AS r(connector_id, direction, task_id)
        WHERE s.connector_id = r.connector_id AND s.direction = r.direction AND s.task_id = r.task_id;
        """;

    /// <summary>Reads a page of rows.</summary>
    /// <param name="database">The database.</param>
    /// <param name="connection">An open connection.</param>
    /// <param name="transaction">Its transaction, if any.</param>
    /// <param name="filter">The filter; its query's <see cref="TaskQuery.After"/> and <see cref="TaskQuery.Limit"/> page.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The rows with their connectors' IDs, in list order.</returns>
    public static async Task<List<(TaskSummary Row, long ConnectorId)>> ListAsync(
        PostgreSqlDatabase database, NpgsqlConnection connection, NpgsqlTransaction? transaction, PostgreSqlTaskFilter filter, CancellationToken cancellationToken)
    {
        if (filter.ConnectorId is null || filter.Query.Direction is not null)
        {
            return await ReadAsync(database, connection, transaction, filter, null, cancellationToken).ConfigureAwait(false);
        }

        // One primary-key range per direction, merged: (task ID, direction) is the list order within one connector.
        var rows = new List<(TaskSummary Row, long ConnectorId)>();
        foreach (var direction in Enum.GetValues<TaskDirection>())
        {
            rows.AddRange(await ReadAsync(database, connection, transaction, filter, direction, cancellationToken).ConfigureAwait(false));
        }

        rows.Sort(static (a, b) => (a.Row.Task.Id, (int)a.Row.Synchronization.Direction).CompareTo((b.Row.Task.Id, (int)b.Row.Synchronization.Direction)));
        return rows.Count > filter.Query.Limit ? rows.GetRange(0, filter.Query.Limit) : rows;
    }

    /// <summary>Counts the rows a filter matches, ignoring its paging.</summary>
    /// <param name="database">The database.</param>
    /// <param name="connection">An open connection.</param>
    /// <param name="filter">The filter.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The count.</returns>
    public static async Task<long> CountAsync(PostgreSqlDatabase database, NpgsqlConnection connection, PostgreSqlTaskFilter filter, CancellationToken cancellationToken)
    {
        var sql = new StringBuilder("SELECT count(*) FROM ibus.integration_synchronization s");
        if (filter.NeedsTask)
        {
            sql.Append(" JOIN ibus.integration_task t ON t.id = s.task_id");
        }

        using var command = database.Command(connection, null, sql.Append(" WHERE 1 = 1").Append(filter.Where).Append(';').ToString());
        filter.Bind(command.Parameters);
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>Makes the rows of a listed batch pending again; see <see cref="ManagementStore.RetryManyAsync"/>.</summary>
    /// <param name="database">The database.</param>
    /// <param name="connection">The connection.</param>
    /// <param name="transaction">The transaction the batch was listed in.</param>
    /// <param name="rows">The rows.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>How many were changed.</returns>
    public static async Task<int> RetryAsync(
        PostgreSqlDatabase database, NpgsqlConnection connection, NpgsqlTransaction transaction, List<(TaskSummary Row, long ConnectorId)> rows, CancellationToken cancellationToken)
    {
        using var command = database.Command(connection, transaction, RetrySql);
        AddRows(command.Parameters, rows);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deletes the rows of a listed batch, and the tasks left without synchronizations; see <see cref="ManagementStore.DeleteManyAsync"/>.</summary>
    /// <param name="database">The database.</param>
    /// <param name="connection">The connection.</param>
    /// <param name="transaction">The transaction the batch was listed in.</param>
    /// <param name="rows">The rows.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>How many were deleted.</returns>
    public static async Task<int> DeleteAsync(
        PostgreSqlDatabase database, NpgsqlConnection connection, NpgsqlTransaction transaction, List<(TaskSummary Row, long ConnectorId)> rows, CancellationToken cancellationToken)
    {
        var taskIds = rows.Select(r => r.Row.Task.Id).Distinct().Order().ToArray();
        using var batch = database.Batch(connection, transaction);
        PostgreSqlTaskCleanup.AddLock(database, batch, taskIds);
        var delete = new NpgsqlBatchCommand(database.Sql(DeleteSql));
        batch.BatchCommands.Add(delete);
        AddRows(delete.Parameters, rows);
        PostgreSqlTaskCleanup.AddCleanup(database, batch, taskIds);
        await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return delete.RecordsAffected;
    }

    private static async Task<List<(TaskSummary Row, long ConnectorId)>> ReadAsync(
        PostgreSqlDatabase database, NpgsqlConnection connection, NpgsqlTransaction? transaction, PostgreSqlTaskFilter filter, TaskDirection? oneDirection, CancellationToken cancellationToken)
    {
        var sql = new StringBuilder(ListSelectSql)
            .Append(oneDirection is null ? filter.Where : filter.WhereOneDirection)
            .Append(" ORDER BY s.task_id, ").Append(PostgreSqlValues.ConnectorOrder).Append(", s.direction LIMIT @limit;");
        using var command = database.Command(connection, transaction, sql.ToString());
        filter.Bind(command.Parameters, oneDirection);
        command.Parameters.AddWithValue("limit", (long)filter.Query.Limit);
        var rows = new List<(TaskSummary Row, long ConnectorId)>();
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var row = new TaskSummary
                {
                    Task = PostgreSqlValues.ReadTaskInfo(reader, 0),
                    Synchronization = PostgreSqlValues.ReadSynchronization(reader, PostgreSqlValues.TaskInfoColumnCount),
                };
                rows.Add((row, reader.GetInt64(PostgreSqlValues.TaskInfoColumnCount + 7)));
            }
        }

        return rows;
    }

    private static void AddRows(NpgsqlParameterCollection parameters, List<(TaskSummary Row, long ConnectorId)> rows)
    {
        parameters.Add(new NpgsqlParameter<long[]>("row_connector_id", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { TypedValue = [.. rows.Select(r => r.ConnectorId)] });
        parameters.Add(new NpgsqlParameter<short[]>("row_direction", NpgsqlDbType.Array | NpgsqlDbType.Smallint) { TypedValue = [.. rows.Select(r => (short)r.Row.Synchronization.Direction)] });
        parameters.Add(new NpgsqlParameter<long[]>("row_task_id", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { TypedValue = [.. rows.Select(r => r.Row.Task.Id)] });
    }
}
