using IntegrationBus.Storage;
using Npgsql;

namespace IntegrationBus.PostgreSql;

/// <summary>Appends incoming tasks under idempotency keys, in one transaction, in order.</summary>
/// <remarks>
/// A keyed append first makes sure the key's row exists (a placeholder from <c>-infinity</c> when new; <c>ON CONFLICT</c>
/// waits for a concurrent writer of the same key) and locks it (<c>FOR UPDATE</c>), so two nodes appending the same key
/// at once append it once: the second waits, then finds the first one's task within the window.
/// </remarks>
internal sealed class PostgreSqlIncomingAppender(PostgreSqlDatabase database)
{
    private const string ClaimSql = """
        INSERT INTO ibus.integration_idempotency (connector_id, key, task_id, task_guid, created_at)
        VALUES (@connector_id, @key, 0, '00000000-0000-0000-0000-000000000000', '-infinity')
        ON CONFLICT (connector_id, key) DO NOTHING;
        """;

    private const string ReadSql = """
        SELECT task_id, task_guid, created_at >= @not_before FROM ibus.integration_idempotency
        WHERE connector_id = @connector_id AND key = @key
        FOR UPDATE;
        """;

    private const string RememberSql = """
        UPDATE ibus.integration_idempotency SET task_id = @task_id, task_guid = @task_guid, created_at = @created_at
        WHERE connector_id = @connector_id AND key = @key;
        """;

    /// <summary>Appends; see <see cref="QueueStore.AppendIncomingAsync"/>.</summary>
    /// <param name="appends">The tasks with their keys and windows.</param>
    /// <param name="appender">Writes the task rows.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>One result per append.</returns>
    public async Task<IReadOnlyList<IncomingAppendResult>> AppendAsync(IReadOnlyList<IncomingAppend> appends, PostgreSqlTaskAppender appender, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(appends);
        foreach (var append in appends)
        {
            ArgumentNullException.ThrowIfNull(append);
            PostgreSqlTaskValidation.Validate(append.Task);
            if (append.Task.Connectors.Count != 1)
            {
                throw new ArgumentException($"Incoming task {append.Task.Guid} must name exactly one connector, the one it came from.", nameof(appends));
            }
        }

        var results = new IncomingAppendResult[appends.Count];
        if (appends.Count == 0)
        {
            return results;
        }

        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                var found = new List<KeyValuePair<string, long>>();
                // Tasks keep their order: keyless runs are written together, each keyed task in its place.
                var fresh = new List<(int Index, NewIntegrationTask Task)>();
                for (var i = 0; i < appends.Count; i++)
                {
                    var (task, key, notBefore) = appends[i];
                    if (key is null)
                    {
                        fresh.Add((i, task));
                        continue;
                    }

                    await WriteFreshAsync(connection, transaction, appender, fresh, results, found, cancellationToken).ConfigureAwait(false);
                    var ids = await PostgreSqlConnectors.GetOrCreateAsync(database, connection, transaction, task.Connectors, found, async: true, cancellationToken).ConfigureAwait(false);
                    var connectorId = ids[task.Connectors[0]];
                    if (await FindRepeatAsync(connection, transaction, connectorId, key, notBefore, cancellationToken).ConfigureAwait(false) is { } repeat)
                    {
                        results[i] = repeat;
                        continue;
                    }

                    var id = (await appender.WriteAsync(connection, transaction, [task], found, async: true, cancellationToken).ConfigureAwait(false))[0];
                    using (var remember = database.Command(connection, transaction, RememberSql))
                    {
                        remember.Parameters.AddWithValue("connector_id", connectorId);
                        remember.Parameters.AddWithValue("key", key);
                        remember.Parameters.AddWithValue("task_id", id);
                        remember.Parameters.AddWithValue("task_guid", task.Guid);
                        remember.Parameters.AddWithValue("created_at", PostgreSqlValues.ToDb(task.CreatedAt));
                        await remember.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                    }

                    results[i] = new IncomingAppendResult(id, task.Guid, Repeated: false);
                }

                await WriteFreshAsync(connection, transaction, appender, fresh, results, found, cancellationToken).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                database.CacheConnectorIds(found);
                return results;
            }
        }
    }

    /// <summary>Claims and locks a key's row; returns the earlier task when the key was used within the window.</summary>
    private async Task<IncomingAppendResult?> FindRepeatAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, long connectorId, string key, DateTimeOffset notBefore, CancellationToken cancellationToken)
    {
        using var batch = database.Batch(connection, transaction);
        var claim = database.Add(batch, ClaimSql).Parameters;
        claim.AddWithValue("connector_id", connectorId);
        claim.AddWithValue("key", key);
        var read = database.Add(batch, ReadSql).Parameters;
        read.AddWithValue("connector_id", connectorId);
        read.AddWithValue("key", key);
        read.AddWithValue("not_before", PostgreSqlValues.ToDb(notBefore));
        var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            do
            {
                if (reader.FieldCount == 3 && await reader.ReadAsync(cancellationToken).ConfigureAwait(false) && reader.GetBoolean(2))
                {
                    return new IncomingAppendResult(reader.GetInt64(0), reader.GetGuid(1), Repeated: true);
                }
            }
            while (await reader.NextResultAsync(cancellationToken).ConfigureAwait(false));
        }

        return null;
    }

    private static async Task WriteFreshAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, PostgreSqlTaskAppender appender, List<(int Index, NewIntegrationTask Task)> fresh,
        IncomingAppendResult[] results, List<KeyValuePair<string, long>> found, CancellationToken cancellationToken)
    {
        if (fresh.Count == 0)
        {
            return;
        }

        var ids = await appender.WriteAsync(connection, transaction, [.. fresh.Select(f => f.Task)], found, async: true, cancellationToken).ConfigureAwait(false);
        for (var j = 0; j < fresh.Count; j++)
        {
            results[fresh[j].Index] = new IncomingAppendResult(ids[j], fresh[j].Task.Guid, Repeated: false);
        }

        fresh.Clear();
    }
}
