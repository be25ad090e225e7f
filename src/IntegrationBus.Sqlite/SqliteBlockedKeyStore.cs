using IntegrationBus.Storage;
using Microsoft.Data.Sqlite;

namespace IntegrationBus.Sqlite;

/// <summary>The blocked-key part of the <see cref="SqliteTaskStore"/>: parked, unreleased synchronizations that carry an ordering key.</summary>
/// <remarks>
/// <para>
/// Heads come from the partial index of unfinished synchronizations (parked rows are few). The waiting counts of a page
/// come from one pass over the connector's queue after the page's earliest head (<c>CROSS JOIN</c> keeps the queue the
/// outer loop; the page's heads are looked up by key), not one pass per key: the ordering-key index holds only parked
/// rows, so a key's waiting tasks have no index of their own (measured: 200 blocked keys before 200,000 queued tasks,
/// 5 to 14 s a page one pass per key, 0.15 to 0.4 s this way).
/// </para>
/// <para>Keys compare by their bytes (SQLite's <c>BINARY</c>), the same order as PostgreSQL's <c>COLLATE "C"</c>.</para>
/// </remarks>
internal sealed class SqliteBlockedKeyStore(SqliteDatabase database) : BlockedKeyStore
{
    // "status <> 0 AND status = 3": the first term lets the planner use the partial index of unfinished synchronizations.
    private const string ListSql = $"""
        WITH heads AS MATERIALIZED (
            SELECT s.ordering_key, s.direction, MIN(s.task_id) AS task_id
            FROM integration_synchronization s
            WHERE s.connector_id = @connector_id AND s.status <> 0 AND s.status = 3 AND s.released = 0 AND s.ordering_key IS NOT NULL
              AND (@direction IS NULL OR s.direction = @direction)
              AND (@key IS NULL OR s.ordering_key = @key)
              AND (@after IS NULL OR s.ordering_key > @after OR (s.ordering_key = @after AND s.direction > @after_direction))
            GROUP BY s.ordering_key, s.direction
            ORDER BY s.ordering_key, s.direction
            LIMIT CAST(@limit AS INTEGER)),
        waiting AS (
            SELECT w.ordering_key, w.direction, COUNT(*) AS n
            FROM integration_synchronization w CROSS JOIN heads h
            WHERE w.connector_id = @connector_id AND w.direction IN (SELECT direction FROM heads) AND w.task_id > (SELECT MIN(task_id) FROM heads)
              AND h.ordering_key = w.ordering_key AND h.direction = w.direction AND w.task_id > h.task_id
            GROUP BY w.ordering_key, w.direction)
        SELECT c.name, h.direction, h.ordering_key, s.attempts, s.last_error, s.last_run_at, COALESCE(n.n, 0),
               {SqliteValues.TaskInfoColumns}
        FROM heads h
        LEFT JOIN waiting n ON n.ordering_key = h.ordering_key AND n.direction = h.direction
        JOIN integration_synchronization s ON s.connector_id = @connector_id AND s.direction = h.direction AND s.task_id = h.task_id
        JOIN integration_task t ON t.id = h.task_id
        JOIN integration_connector c ON c.id = @connector_id
        ORDER BY h.ordering_key, h.direction;
        """;

    private const string CountSql = """
        SELECT c.name, k.direction, COUNT(*)
        FROM (SELECT DISTINCT connector_id, direction, ordering_key
              FROM integration_synchronization
              WHERE status <> 0 AND status = 3 AND released = 0 AND ordering_key IS NOT NULL) k
        JOIN integration_connector c ON c.id = k.connector_id
        GROUP BY c.name, k.direction
        ORDER BY c.name, k.direction;
        """;

    private const string ReleaseSql = """
        UPDATE integration_synchronization SET released = 1
        WHERE connector_id = @connector_id AND direction = @direction AND task_id = (
            SELECT MIN(task_id) FROM integration_synchronization
            WHERE connector_id = @connector_id AND direction = @direction AND status <> 0 AND status = 3 AND released = 0 AND ordering_key = @key)
        RETURNING task_id;
        """;

    /// <inheritdoc/>
    protected override Task<IReadOnlyList<BlockedKey>> ListCoreAsync(BlockedKeyQuery query, CancellationToken cancellationToken) =>
        ReadAsync(query.Connector, query.Direction, null, query.After, query.AfterDirection, query.Limit, cancellationToken);

    /// <inheritdoc/>
    protected override async Task<BlockedKey?> FindCoreAsync(string connector, TaskDirection direction, string key, CancellationToken cancellationToken)
    {
        var keys = await ReadAsync(connector, direction, key, null, TaskDirection.Incoming, 1, cancellationToken).ConfigureAwait(false);
        return keys.Count == 0 ? null : keys[0];
    }

    /// <inheritdoc/>
    public override async Task<IReadOnlyDictionary<QueueKey, long>> CountAsync(CancellationToken cancellationToken)
    {
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = connection.CreateCommand();
            command.CommandText = CountSql;
            var counts = new Dictionary<QueueKey, long>();
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                counts[new QueueKey(reader.GetString(0), (TaskDirection)reader.GetInt32(1))] = reader.GetInt64(2);
            }

            return counts;
        }
    }

    /// <inheritdoc/>
    protected override async Task<long?> ReleaseCoreAsync(string connector, TaskDirection direction, string key, CancellationToken cancellationToken)
    {
        var scope = await database.BeginWriteAsync(cancellationToken).ConfigureAwait(false);
        await using (scope.ConfigureAwait(false))
        {
            if (database.FindConnectorId(scope.Connection, scope.Transaction, connector, true) is not { } connectorId)
            {
                return null;
            }

            long? released;
            using (var command = scope.CreateCommand(ReleaseSql))
            {
                command.Parameters.AddWithValue("@connector_id", connectorId);
                command.Parameters.AddWithValue("@direction", (int)direction);
                command.Parameters.AddWithValue("@key", key);
                released = command.ExecuteScalar() is long taskId ? taskId : null;
            }

            await scope.CommitAsync(cancellationToken).ConfigureAwait(false);
            return released;
        }
    }

    private async Task<IReadOnlyList<BlockedKey>> ReadAsync(
        string connector, TaskDirection? direction, string? key, string? after, TaskDirection afterDirection, int limit, CancellationToken cancellationToken)
    {
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            if (database.FindConnectorId(connection, null, connector, true) is not { } connectorId)
            {
                return [];
            }

            using var command = connection.CreateCommand();
            command.CommandText = ListSql;
            command.Parameters.AddWithValue("@connector_id", connectorId);
            command.Parameters.Add("@direction", SqliteType.Integer).Value = direction is { } d ? (int)d : DBNull.Value;
            command.Parameters.Add("@key", SqliteType.Text).Value = SqliteValues.ToDb(key);
            command.Parameters.Add("@after", SqliteType.Text).Value = SqliteValues.ToDb(after);
            command.Parameters.AddWithValue("@after_direction", (int)afterDirection);
            command.Parameters.AddWithValue("@limit", limit);
            var keys = new List<BlockedKey>();
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                keys.Add(new BlockedKey
                {
                    Connector = reader.GetString(0),
                    Direction = (TaskDirection)reader.GetInt32(1),
                    Key = reader.GetString(2),
                    Attempts = reader.GetInt32(3),
                    LastError = SqliteValues.ReadString(reader, 4),
                    LastRunAt = SqliteValues.ReadTime(reader, 5),
                    Waiting = reader.GetInt64(6),
                    Head = SqliteValues.ReadTaskInfo(reader, 7),
                });
            }

            return keys;
        }
    }
}
