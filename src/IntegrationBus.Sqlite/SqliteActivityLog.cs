using System.Text;
using IntegrationBus.Storage;
using Microsoft.Data.Sqlite;

namespace IntegrationBus.Sqlite;

/// <summary>The logs operators read: a task's attempts, the audit log and the history of delivered tasks.</summary>
internal static class SqliteActivityLog
{
    private const string AttemptsSql = """
        SELECT a.task_id, c.name, a.direction, a.attempted_at, a.result, a.message, a.details
        FROM integration_attempt a JOIN integration_connector c ON c.id = a.connector_id
        WHERE a.task_id = @task_id
        ORDER BY a.id;
        """;

    private const string AppendAuditSql = """
        INSERT INTO integration_audit (at, actor, action, target, count) VALUES (@at, @actor, @action, @target, @count) RETURNING id;
        """;

    private const string ListAuditSql = """
        SELECT id, at, actor, action, target, count FROM integration_audit
        WHERE @before_id IS NULL OR id < @before_id
        ORDER BY id DESC
        LIMIT CAST(@limit AS INTEGER);
        """;

    // The task columns in the order of SqliteValues.TaskInfoColumns, read from the history row.
    private const string HistorySql = """
        SELECT h.id, h.task_id, h.guid, h.direction, h.task_type, h.data_type, h.object_type, h.object_id, h.object_guid, h.object_code_name,
               h.object_display_name, h.site, h.created_at, h.origin_connector, h.policy, c.name, h.delivered_at, h.attempts, h.payload
        FROM integration_history h JOIN integration_connector c ON c.id = h.connector_id
        WHERE 1 = 1
        """;

    /// <summary>Reads a task's attempt log, oldest first.</summary>
    /// <param name="database">The database.</param>
    /// <param name="taskId">The task.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The attempts.</returns>
    public static async Task<IReadOnlyList<AttemptRecord>> GetAttemptsAsync(SqliteDatabase database, long taskId, CancellationToken cancellationToken)
    {
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = connection.CreateCommand();
            command.CommandText = AttemptsSql;
            command.Parameters.AddWithValue("@task_id", taskId);
            var attempts = new List<AttemptRecord>();
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                attempts.Add(new AttemptRecord
                {
                    TaskId = reader.GetInt64(0),
                    Connector = reader.GetString(1),
                    Direction = (TaskDirection)reader.GetInt32(2),
                    AttemptedAt = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3)),
                    Result = (TaskResultKind)reader.GetInt32(4),
                    Message = SqliteValues.ReadString(reader, 5),
                    Details = SqliteValues.ReadString(reader, 6),
                });
            }

            return attempts;
        }
    }

    /// <summary>Adds an audit entry.</summary>
    /// <param name="database">The database.</param>
    /// <param name="entry">The entry.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The new entry's ID.</returns>
    public static async Task<long> AppendAuditAsync(SqliteDatabase database, AuditEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentException.ThrowIfNullOrWhiteSpace(entry.Action, nameof(entry));
        var scope = await database.BeginWriteAsync(cancellationToken).ConfigureAwait(false);
        await using (scope.ConfigureAwait(false))
        {
            using var command = scope.CreateCommand(AppendAuditSql);
            command.Parameters.AddWithValue("@at", SqliteValues.ToUnixMs(entry.At));
            command.Parameters.AddWithValue("@actor", SqliteValues.ToDb(entry.Actor));
            command.Parameters.AddWithValue("@action", entry.Action);
            command.Parameters.AddWithValue("@target", SqliteValues.ToDb(entry.Target));
            command.Parameters.AddWithValue("@count", entry.Count);
            var id = (long)command.ExecuteScalar()!;
            await scope.CommitAsync(cancellationToken).ConfigureAwait(false);
            return id;
        }
    }

    /// <summary>Reads a page of the audit log, newest first.</summary>
    /// <param name="database">The database.</param>
    /// <param name="query">The page.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The entries.</returns>
    public static async Task<IReadOnlyList<AuditEntry>> ListAuditAsync(SqliteDatabase database, AuditQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(query.Limit, nameof(query));
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = connection.CreateCommand();
            command.CommandText = ListAuditSql;
            command.Parameters.AddWithValue("@before_id", SqliteValues.ToDb(query.BeforeId));
            command.Parameters.AddWithValue("@limit", query.Limit);
            var entries = new List<AuditEntry>();
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                entries.Add(new AuditEntry
                {
                    Id = reader.GetInt64(0),
                    At = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)),
                    Actor = SqliteValues.ReadString(reader, 2),
                    Action = reader.GetString(3),
                    Target = SqliteValues.ReadString(reader, 4),
                    Count = reader.GetInt64(5),
                });
            }

            return entries;
        }
    }

    /// <summary>Reads a page of the history of delivered tasks, newest first.</summary>
    /// <param name="database">The database.</param>
    /// <param name="query">The filter and page.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The entries.</returns>
    public static async Task<IReadOnlyList<DeliveredTask>> ListHistoryAsync(SqliteDatabase database, HistoryQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(query.Limit, nameof(query));
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = connection.CreateCommand();
            var sql = new StringBuilder(HistorySql);
            if (query.Connector is not null)
            {
                if (database.FindConnectorId(connection, null, query.Connector, true) is not { } connectorId)
                {
                    return [];
                }

                sql.Append(" AND h.connector_id = @connector_id");
                command.Parameters.AddWithValue("@connector_id", connectorId);
            }

            if (query.Direction is { } direction)
            {
                sql.Append(" AND h.direction = @direction");
                command.Parameters.AddWithValue("@direction", (int)direction);
            }

            if (query.ObjectType is not null)
            {
                sql.Append(" AND h.object_type = @object_type");
                command.Parameters.AddWithValue("@object_type", query.ObjectType);
            }

            if (query.BeforeId is { } beforeId)
            {
                sql.Append(" AND h.id < @before_id");
                command.Parameters.AddWithValue("@before_id", beforeId);
            }

            SetText(command, sql.Append(" ORDER BY h.id DESC LIMIT CAST(@limit AS INTEGER);"));
            command.Parameters.AddWithValue("@limit", query.Limit);
            var entries = new List<DeliveredTask>();
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                const int After = 1 + SqliteValues.TaskInfoColumnCount;
                entries.Add(new DeliveredTask
                {
                    Id = reader.GetInt64(0),
                    Task = SqliteValues.ReadTaskInfo(reader, 1),
                    Connector = reader.GetString(After),
                    DeliveredAt = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(After + 1)),
                    Attempts = reader.GetInt32(After + 2),
                    Payload = reader.GetString(After + 3),
                });
            }

            return entries;
        }
    }

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA2100:Review SQL queries for security vulnerabilities",
        Justification = "The text is built from constant fragments only; every value is a parameter.")]
    private static void SetText(SqliteCommand command, StringBuilder sql) => command.CommandText = sql.ToString();
}
