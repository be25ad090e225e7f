using Npgsql;
using NpgsqlTypes;

namespace IntegrationBus.PostgreSql;

/// <summary>Maps connector code names (ignoring case) to their IDs, creating unknown connectors where a write needs them.</summary>
/// <remarks>
/// IDs are cached once their rows are known to be committed: found outside a transaction, or created in a transaction of
/// the store's own that committed. A connector created in the caller's transaction is not cached, since the caller may
/// roll it back. Connectors are never deleted, so a cached ID stays right.
/// </remarks>
internal static class PostgreSqlConnectors
{
    private const string FindSql = "SELECT id FROM ibus.integration_connector WHERE lower(name) = lower(@name);";

    private const string FindManySql = "SELECT id, name FROM ibus.integration_connector WHERE lower(name) = ANY(@names);";

    private const string CreateManySql = """
        INSERT INTO ibus.integration_connector (name, display_name, enabled)
        SELECT n, n, true FROM unnest(@names) AS n
        ON CONFLICT (lower(name)) DO NOTHING;
        """;

    /// <summary>Finds a connector's ID.</summary>
    /// <param name="database">The database.</param>
    /// <param name="connection">An open connection.</param>
    /// <param name="transaction">Its transaction, if any.</param>
    /// <param name="name">The connector's code name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The ID, or <see langword="null"/> when the connector is unknown.</returns>
    public static async ValueTask<long?> FindAsync(PostgreSqlDatabase database, NpgsqlConnection connection, NpgsqlTransaction? transaction, string name, CancellationToken cancellationToken)
    {
        if (database.TryGetCachedConnectorId(name, out var cached))
        {
            return cached;
        }

        using var command = database.Command(connection, transaction, FindSql);
        command.Parameters.AddWithValue("name", name);
        if (await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not long id)
        {
            return null;
        }

        if (transaction is null)
        {
            database.CacheConnectorIds([new(name, id)]);
        }

        return id;
    }

    /// <summary>Finds the IDs of connectors, creating the unknown ones (enabled) in the transaction.</summary>
    /// <param name="database">The database.</param>
    /// <param name="connection">An open connection.</param>
    /// <param name="transaction">The write transaction, or <see langword="null"/> to create the unknown connectors at once (each statement commits).</param>
    /// <param name="names">The connectors' code names.</param>
    /// <param name="found">Receives the names from the database (not from the cache), to cache once the transaction commits.</param>
    /// <param name="async">Whether to run asynchronously (the synchronous append of EF Core's SaveChanges runs synchronously).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The IDs by name (ignoring case).</returns>
    public static async ValueTask<Dictionary<string, long>> GetOrCreateAsync(
        PostgreSqlDatabase database, NpgsqlConnection connection, NpgsqlTransaction? transaction, IEnumerable<string> names,
        List<KeyValuePair<string, long>> found, bool async, CancellationToken cancellationToken)
    {
        var ids = new Dictionary<string, long>(StringComparer.OrdinalIgnoreCase);
        var missing = new List<string>();
        foreach (var name in names)
        {
            if (ids.ContainsKey(name) || missing.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                continue;
            }

            if (database.TryGetCachedConnectorId(name, out var cached))
            {
                ids[name] = cached;
            }
            else
            {
                missing.Add(name);
            }
        }

        if (missing.Count == 0)
        {
            return ids;
        }

        await ReadAsync(database, connection, transaction, missing, ids, found, async, cancellationToken).ConfigureAwait(false);
        var unknown = missing.Where(n => !ids.ContainsKey(n)).ToArray();
        if (unknown.Length > 0)
        {
            // ON CONFLICT waits for a concurrent creator and skips its name; the read after it sees the committed row.
            using (var create = database.Command(connection, transaction, CreateManySql))
            {
                create.Parameters.Add(new NpgsqlParameter<string[]>("names", NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = unknown });
                _ = async ? await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) : create.ExecuteNonQuery();
            }

            await ReadAsync(database, connection, transaction, unknown, ids, found, async, cancellationToken).ConfigureAwait(false);
        }

        return ids;
    }

    private static async ValueTask ReadAsync(
        PostgreSqlDatabase database, NpgsqlConnection connection, NpgsqlTransaction? transaction, IReadOnlyCollection<string> names,
        Dictionary<string, long> ids, List<KeyValuePair<string, long>> found, bool async, CancellationToken cancellationToken)
    {
        using var command = database.Command(connection, transaction, FindManySql);
        var lowered = names.Select(n => n.ToLowerInvariant()).ToArray();
        command.Parameters.Add(new NpgsqlParameter<string[]>("names", NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = lowered });
        var reader = async ? await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false) : command.ExecuteReader();
        try
        {
            while (async ? await reader.ReadAsync(cancellationToken).ConfigureAwait(false) : reader.Read())
            {
                var id = reader.GetInt64(0);
                var stored = reader.GetString(1);
                foreach (var name in names.Where(n => string.Equals(n, stored, StringComparison.OrdinalIgnoreCase)))
                {
                    ids[name] = id;
                    found.Add(new(name, id));
                }
            }
        }
        finally
        {
            await PostgreSqlSync.DisposeAsync(reader, async).ConfigureAwait(false);
        }
    }
}
