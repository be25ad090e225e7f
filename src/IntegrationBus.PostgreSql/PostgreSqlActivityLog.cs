using System.Text;
using IntegrationBus.Storage;

namespace IntegrationBus.PostgreSql;

/// <summary>The logs operators read: a task's attempts, the audit log and the history of delivered tasks.</summary>
internal static class PostgreSqlActivityLog
{
    private const string AttemptsSql = """
        SELECT a.task_id, c.name, a.direction, a.attempted_at, a.result, a.message, a.details
        FROM ibus.integration_attempt a JOIN ibus.integration_connector c ON c.id = a.connector_id
        WHERE a.task_id = @task_id
        ORDER BY a.id;
        """;

    private const string AppendAuditSql = """
        INSERT INTO ibus.integration_audit (at, actor, action, target, count) VALUES (@at, @actor, @action, @target, @count) RETURNING id;
        """;

    private const string ListAuditSql = """
        SELECT id, at, actor, action, target, count FROM ibus.integration_audit
        WHERE id < @before_id
        ORDER BY id DESC
        LIMIT @limit;
        """;

    // The task columns in the order of PostgreSqlValues.TaskInfoColumns, read from the history row.
    private const string HistorySql = """
        SELECT h.id, h.task_id, h.guid, h.direction, h.task_type, h.data_type, h.object_type, h.object_id, h.object_guid, h.object_code_name,
               h.object_display_name, h.site, h.created_at, h.origin_connector, h.policy, c.name, h.delivered_at, h.attempts, h.payload
        FROM ibus.integration_history h JOIN ibus.integration_connector c ON c.id = h.connector_id
        WHERE h.id < @before_id
        """;

    /// <summary>Reads a task's attempt log, oldest first.</summary>
    /// <param name="database">The database.</param>
    /// <param name="taskId">The task.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The attempts.</returns>
    public static async Task<IReadOnlyList<AttemptRecord>> GetAttemptsAsync(PostgreSqlDatabase database, long taskId, CancellationToken cancellationToken)
    {
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = database.Command(connection, null, AttemptsSql);
            command.Parameters.AddWithValue("task_id", taskId);
            var attempts = new List<AttemptRecord>();
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    attempts.Add(new AttemptRecord
                    {
                        TaskId = reader.GetInt64(0),
                        Connector = reader.GetString(1),
                        Direction = (TaskDirection)reader.GetInt16(2),
                        AttemptedAt = PostgreSqlValues.ReadTime(reader, 3),
                        Result = (TaskResultKind)reader.GetInt16(4),
                        Message = PostgreSqlValues.ReadString(reader, 5),
                        Details = PostgreSqlValues.ReadString(reader, 6),
                    });
                }
            }

            return attempts;
        }
    }

    /// <summary>Adds an audit entry.</summary>
    /// <param name="database">The database.</param>
    /// <param name="entry">The entry.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The new entry's ID.</returns>
    public static async Task<long> AppendAuditAsync(PostgreSqlDatabase database, AuditEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentException.ThrowIfNullOrWhiteSpace(entry.Action, nameof(entry));
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = database.Command(connection, null, AppendAuditSql);
            command.Parameters.AddWithValue("at", PostgreSqlValues.ToDb(entry.At));
            command.Parameters.AddWithValue("actor", PostgreSqlValues.ToDb(entry.Actor));
            command.Parameters.AddWithValue("action", entry.Action);
            command.Parameters.AddWithValue("target", PostgreSqlValues.ToDb(entry.Target));
            command.Parameters.AddWithValue("count", entry.Count);
            return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        }
    }

    /// <summary>Reads a page of the audit log, newest first.</summary>
    /// <param name="database">The database.</param>
    /// <param name="query">The page.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The entries.</returns>
    public static async Task<IReadOnlyList<AuditEntry>> ListAuditAsync(PostgreSqlDatabase database, AuditQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(query.Limit, nameof(query));
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = database.Command(connection, null, ListAuditSql);
            command.Parameters.AddWithValue("before_id", query.BeforeId ?? long.MaxValue);
            command.Parameters.AddWithValue("limit", (long)query.Limit);
            var entries = new List<AuditEntry>();
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    entries.Add(new AuditEntry
                    {
                        Id = reader.GetInt64(0),
                        At = PostgreSqlValues.ReadTime(reader, 1),
                        Actor = PostgreSqlValues.ReadString(reader, 2),
                        Action = reader.GetString(3),
                        Target = PostgreSqlValues.ReadString(reader, 4),
                        Count = reader.GetInt64(5),
                    });
                }
            }

            return entries;
        }
    }

    /// <summary>Reads a page of the history of delivered tasks, newest first.</summary>
    /// <param name="database">The database.</param>
    /// <param name="query">The filter and page.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The entries.</returns>
    public static async Task<IReadOnlyList<DeliveredTask>> ListHistoryAsync(PostgreSqlDatabase database, HistoryQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(query.Limit, nameof(query));
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var sql = new StringBuilder(HistorySql);
            var parameters = new List<(string Name, object Value)> { ("before_id", query.BeforeId ?? long.MaxValue), ("limit", (long)query.Limit) };
            if (query.Connector is not null)
            {
                if (await PostgreSqlConnectors.FindAsync(database, connection, null, query.Connector, cancellationToken).ConfigureAwait(false) is not { } connectorId)
                {
                    return [];
                }

                sql.Append(" AND h.connector_id = @connector_id");
                parameters.Add(("connector_id", connectorId));
            }

            if (query.Direction is { } direction)
            {
                sql.Append(" AND h.direction = @direction");
                parameters.Add(("direction", (short)direction));
            }

            if (query.ObjectType is not null)
            {
                sql.Append(" AND h.object_type = @object_type");
                parameters.Add(("object_type", query.ObjectType));
            }

            using var command = database.Command(connection, null, sql.Append(" ORDER BY h.id DESC LIMIT @limit;").ToString());
            foreach (var (name, value) in parameters)
            {
                command.Parameters.AddWithValue(name, value);
            }

            var entries = new List<DeliveredTask>();
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    const int After = 1 + PostgreSqlValues.TaskInfoColumnCount;
                    entries.Add(new DeliveredTask
                    {
                        Id = reader.GetInt64(0),
                        Task = PostgreSqlValues.ReadTaskInfo(reader, 1),
                        Connector = reader.GetString(After),
                        DeliveredAt = PostgreSqlValues.ReadTime(reader, After + 1),
                        Attempts = reader.GetInt32(After + 2),
                        Payload = reader.GetString(After + 3),
                    });
                }
            }

            return entries;
        }
    }
}
