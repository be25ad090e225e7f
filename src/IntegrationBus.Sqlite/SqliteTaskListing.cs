using System.Globalization;
using System.Text;
using IntegrationBus.Storage;
using Microsoft.Data.Sqlite;

namespace IntegrationBus.Sqlite;

/// <summary>Lists and counts synchronizations for management, and changes a listed batch (bulk retry and delete).</summary>
/// <remarks>
/// Lists are ordered by (task ID, connector name, direction). With a connector the order is the primary key's
/// (connector, direction, task ID) range, read once per direction and merged, so a page reads about a page of rows
/// however long the queue is. Without one, SQLite walks the task-ID index (or the object-type index when that filter
/// is set) and sorts only the rows of one task ID at a time.
/// </remarks>
internal static class SqliteTaskListing
{
    private const string ListSelectSql = $"""
        SELECT {SqliteValues.TaskInfoColumns}, {SqliteValues.SynchronizationColumns}, s.connector_id
        FROM
        """;

    private const string ListJoinSql = """
        JOIN integration_task t ON t.id = s.task_id
        JOIN integration_connector c ON c.id = s.connector_id
        WHERE 1 = 1
        """;

    private const string RetrySql = """
        UPDATE integration_synchronization AS s SET status = 0, attempts = 0, next_attempt_at = NULL, released = 0
        FROM json_each(@rows) AS r
        WHERE s.connector_id = r.value ->> 0 AND s.direction = r.value ->> 1 AND s.task_id = r.value ->> 2 AND s.status <> 0;
        """;

    private const string DeleteSql = """
        DELETE FROM integration_synchronization
        WHERE (connector_id, direction, task_id) IN (SELECT value ->> 0, value ->> 1, value ->> 2 FROM json_each(@rows));
        """;

    /// <summary>Reads a page of rows.</summary>
    /// <param name="connection">An open connection.</param>
    /// <param name="transaction">Its transaction, if any.</param>
    /// <param name="filter">The filter; its query's <see cref="TaskQuery.After"/> and <see cref="TaskQuery.Limit"/> page.</param>
    /// <returns>The rows with their connectors' IDs, in list order.</returns>
    public static List<(TaskSummary Row, long ConnectorId)> List(SqliteConnection connection, SqliteTransaction? transaction, SqliteTaskFilter filter)
    {
        if (filter.ConnectorId is null || filter.Query.Direction is not null)
        {
            return Read(connection, transaction, filter, null);
        }

        // One primary-key range per direction, merged: (task ID, direction) is the list order within one connector.
        var rows = new List<(TaskSummary Row, long ConnectorId)>();
        foreach (var direction in Enum.GetValues<TaskDirection>())
        {
            rows.AddRange(Read(connection, transaction, filter, direction));
        }

        rows.Sort(static (a, b) => (a.Row.Task.Id, (int)a.Row.Synchronization.Direction).CompareTo((b.Row.Task.Id, (int)b.Row.Synchronization.Direction)));
        return rows.Count > filter.Query.Limit ? rows.GetRange(0, filter.Query.Limit) : rows;
    }

    /// <summary>Counts the rows a filter matches, ignoring its paging.</summary>
    /// <param name="connection">An open connection.</param>
    /// <param name="filter">The filter.</param>
    /// <returns>The count.</returns>
    public static long Count(SqliteConnection connection, SqliteTaskFilter filter)
    {
        using var command = connection.CreateCommand();
        var sql = new StringBuilder("SELECT COUNT(*) FROM ").Append(filter.SynchronizationTable);
        if (filter.NeedsTask)
        {
            sql.Append(" JOIN integration_task t ON t.id = s.task_id");
        }

        SetText(command, sql.Append(" WHERE 1 = 1").Append(filter.Where).Append(';'));
        filter.Bind(command);
        return (long)command.ExecuteScalar()!;
    }

    /// <summary>Makes the rows of a listed batch pending again; see <see cref="ManagementStore.RetryManyAsync"/>.</summary>
    /// <param name="scope">The write transaction the batch was listed in.</param>
    /// <param name="rows">The rows.</param>
    /// <returns>How many were changed.</returns>
    public static int Retry(SqliteWriteScope scope, List<(TaskSummary Row, long ConnectorId)> rows)
    {
        using var command = scope.CreateCommand(RetrySql);
        command.Parameters.Add("@rows", SqliteType.Text).Value = ToJson(rows);
        return command.ExecuteNonQuery();
    }

    /// <summary>Deletes the rows of a listed batch, and the tasks left without synchronizations; see <see cref="ManagementStore.DeleteManyAsync"/>.</summary>
    /// <param name="scope">The write transaction the batch was listed in.</param>
    /// <param name="rows">The rows.</param>
    /// <returns>How many were deleted.</returns>
    public static int Delete(SqliteWriteScope scope, List<(TaskSummary Row, long ConnectorId)> rows)
    {
        int count;
        using (var command = scope.CreateCommand(DeleteSql))
        {
            command.Parameters.Add("@rows", SqliteType.Text).Value = ToJson(rows);
            count = command.ExecuteNonQuery();
        }

        SqliteTaskCleanup.Run(scope, rows.Select(r => r.Row.Task.Id).Distinct().ToList());
        return count;
    }

    private static List<(TaskSummary Row, long ConnectorId)> Read(SqliteConnection connection, SqliteTransaction? transaction, SqliteTaskFilter filter, TaskDirection? oneDirection)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        SetText(command, ListSql(filter, oneDirection));
        filter.Bind(command, oneDirection);
        command.Parameters.AddWithValue("@limit", filter.Query.Limit);
        var rows = new List<(TaskSummary Row, long ConnectorId)>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var row = new TaskSummary
            {
                Task = SqliteValues.ReadTaskInfo(reader, 0),
                Synchronization = SqliteValues.ReadSynchronization(reader, SqliteValues.TaskInfoColumnCount),
            };
            rows.Add((row, reader.GetInt64(SqliteValues.TaskInfoColumnCount + 7)));
        }

        return rows;
    }

    /// <summary>The text of a list query: the filter's conditions, ordered by the side that drives the join.</summary>
    /// <param name="filter">The filter.</param>
    /// <param name="oneDirection">The direction when the list is read one direction at a time.</param>
    /// <returns>The SQL text; its parameters are the filter's, <c>@one_direction</c> and <c>@limit</c>.</returns>
    internal static string ListSql(SqliteTaskFilter filter, TaskDirection? oneDirection)
    {
        // In task order: a connector's primary key, or the synchronization task-ID index, gives it without sorting every row.
        return new StringBuilder(ListSelectSql).Append(' ').Append(filter.SynchronizationTable).Append('\n').Append(ListJoinSql)
            .Append(oneDirection is null ? filter.Where : filter.WhereOneDirection)
            .Append(" ORDER BY s.task_id, c.name, s.direction")
            .Append(" LIMIT CAST(@limit AS INTEGER);")
            .ToString();
    }

    private static string ToJson(List<(TaskSummary Row, long ConnectorId)> rows)
    {
        var json = new StringBuilder("[");
        foreach (var (row, connectorId) in rows)
        {
            json.Append(json.Length > 1 ? "," : string.Empty)
                .Append(CultureInfo.InvariantCulture, $"[{connectorId},{(int)row.Synchronization.Direction},{row.Task.Id}]");
        }

        return json.Append(']').ToString();
    }

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA2100:Review SQL queries for security vulnerabilities",
        Justification = "The text is built from constant fragments only; every value is a parameter.")]
    private static void SetText(SqliteCommand command, StringBuilder sql) => SetText(command, sql.ToString());

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA2100:Review SQL queries for security vulnerabilities",
        Justification = "The text is built from constant fragments only; every value is a parameter.")]
    private static void SetText(SqliteCommand command, string sql) => command.CommandText = sql;
}
