using IntegrationBus.Storage;
using Npgsql;
using NpgsqlTypes;

namespace IntegrationBus.PostgreSql;

/// <summary>The configuration part of the <see cref="PostgreSqlTaskStore"/>: the connectors and settings tables.</summary>
internal sealed class PostgreSqlConfigurationStore(PostgreSqlDatabase database) : ConfigurationStore
{
    private const string RegisterSql = """
        INSERT INTO ibus.integration_connector (name, display_name, enabled)
        SELECT n, d, true FROM unnest(@names, @display_names) AS u(n, d)
        ON CONFLICT (lower(name)) DO UPDATE SET display_name = excluded.display_name;
        """;

    private const string ListSql = "SELECT id, name, display_name, enabled FROM ibus.integration_connector ORDER BY id;";

    private const string EnableSql = "UPDATE ibus.integration_connector SET enabled = @enabled WHERE lower(name) = lower(@name);";

    private const string ListBreakersSql = """
        SELECT c.name, b.state, b.changed_at, b.opened_at, b.open_until, b.reason
        FROM ibus.integration_circuit_breaker b JOIN ibus.integration_connector c ON c.id = b.connector_id ORDER BY c.id;
        """;

    private const string SetBreakerSql = """
        INSERT INTO ibus.integration_circuit_breaker (connector_id, state, changed_at, opened_at, open_until, reason)
        SELECT id, @state, @changed_at, @opened_at, @open_until, @reason FROM ibus.integration_connector WHERE lower(name) = lower(@name)
        ON CONFLICT (connector_id) DO UPDATE SET state = excluded.state, changed_at = excluded.changed_at,
            opened_at = excluded.opened_at, open_until = excluded.open_until, reason = excluded.reason;
        """;

    private const string SetSql = """
        INSERT INTO ibus.integration_setting (key, value) SELECT * FROM unnest(@keys, @values)
        ON CONFLICT (key) DO UPDATE SET value = excluded.value;
        """;

    /// <inheritdoc/>
    public override async Task<IReadOnlyList<ConnectorState>> RegisterConnectorsAsync(IReadOnlyList<ConnectorState> connectors, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connectors);
        foreach (var connector in connectors)
        {
            ArgumentNullException.ThrowIfNull(connector);
            ArgumentException.ThrowIfNullOrWhiteSpace(connector.Name);
            ArgumentNullException.ThrowIfNull(connector.DisplayName);
        }

        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            if (connectors.Count > 0)
            {
                // One row per name (ignoring case), the last display name winning, so one statement never updates a row twice.
                var unique = connectors.GroupBy(c => c.Name, StringComparer.OrdinalIgnoreCase).Select(g => g.Last()).ToList();
                using var register = database.Command(connection, null, RegisterSql);
                register.Parameters.Add(new NpgsqlParameter<string[]>("names", NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = [.. unique.Select(c => c.Name)] });
                register.Parameters.Add(new NpgsqlParameter<string[]>("display_names", NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = [.. unique.Select(c => c.DisplayName)] });
                await register.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            return await ReadConnectorsAsync(connection, cacheIds: true, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    public override async Task<IReadOnlyList<ConnectorState>> GetConnectorsAsync(CancellationToken cancellationToken)
    {
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            return await ReadConnectorsAsync(connection, cacheIds: true, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    public override async Task<bool> SetConnectorEnabledAsync(string connector, bool enabled, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connector);
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = database.Command(connection, null, EnableSql);
            command.Parameters.AddWithValue("enabled", enabled);
            command.Parameters.AddWithValue("name", connector);
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
        }
    }

    /// <inheritdoc/>
    public override async Task<IReadOnlyDictionary<string, string>> GetSettingsAsync(CancellationToken cancellationToken)
    {
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = database.Command(connection, null, "SELECT key, value FROM ibus.integration_setting;");
            return await ReadSettingsAsync(command, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    public override async Task SetSettingsAsync(IReadOnlyDictionary<string, string> values, CancellationToken cancellationToken)
    {
        ValidateSettings(values);

        if (values.Count == 0)
        {
            return;
        }

        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            // One statement: the keys are stored in one transaction.
            using var command = database.Command(connection, null, SetSql);
            command.Parameters.Add(new NpgsqlParameter<string[]>("keys", NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = [.. values.Keys] });
            command.Parameters.Add(new NpgsqlParameter<string[]>("values", NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = [.. values.Values] });
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    public override async Task<IReadOnlyList<CircuitBreakerState>> GetCircuitBreakersAsync(CancellationToken cancellationToken)
    {
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = database.Command(connection, null, ListBreakersSql);
            var states = new List<CircuitBreakerState>();
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    states.Add(new CircuitBreakerState
                    {
                        Connector = reader.GetString(0),
                        Status = (CircuitBreakerStatus)reader.GetInt16(1),
                        ChangedAt = PostgreSqlValues.ReadTime(reader, 2),
                        OpenedAt = PostgreSqlValues.ReadOptionalTime(reader, 3),
                        OpenUntil = PostgreSqlValues.ReadOptionalTime(reader, 4),
                        Reason = PostgreSqlValues.ReadString(reader, 5),
                    });
                }
            }

            return states;
        }
    }

    /// <inheritdoc/>
    public override async Task<bool> SetCircuitBreakerAsync(CircuitBreakerState state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentException.ThrowIfNullOrWhiteSpace(state.Connector, nameof(state));
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = database.Command(connection, null, SetBreakerSql);
            command.Parameters.AddWithValue("name", state.Connector);
            command.Parameters.AddWithValue("state", (short)state.Status);
            command.Parameters.AddWithValue("changed_at", PostgreSqlValues.ToDb(state.ChangedAt));
            command.Parameters.Add(new NpgsqlParameter("opened_at", NpgsqlDbType.TimestampTz) { Value = PostgreSqlValues.ToDb(state.OpenedAt) });
            command.Parameters.Add(new NpgsqlParameter("open_until", NpgsqlDbType.TimestampTz) { Value = PostgreSqlValues.ToDb(state.OpenUntil) });
            command.Parameters.Add(new NpgsqlParameter("reason", NpgsqlDbType.Text) { Value = PostgreSqlValues.ToDb(state.Reason) });
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
        }
    }

    private async Task<IReadOnlyList<ConnectorState>> ReadConnectorsAsync(NpgsqlConnection connection, bool cacheIds, CancellationToken cancellationToken)
    {
        using var command = database.Command(connection, null, ListSql);
        var connectors = new List<ConnectorState>();
        var ids = new List<KeyValuePair<string, long>>();
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                ids.Add(new(reader.GetString(1), reader.GetInt64(0)));
                connectors.Add(new ConnectorState(reader.GetString(1), reader.GetString(2), reader.GetBoolean(3)));
            }
        }

        if (cacheIds)
        {
            database.CacheConnectorIds(ids);
        }

        return connectors;
    }
}
