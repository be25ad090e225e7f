using IntegrationBus.Storage;

namespace IntegrationBus.Sqlite;

/// <summary>The configuration part of the <see cref="SqliteTaskStore"/>: the connectors and settings tables.</summary>
internal sealed class SqliteConfigurationStore(SqliteDatabase database) : ConfigurationStore
{
    private const string RegisterSql = """
        INSERT INTO integration_connector (name, display_name, enabled) VALUES (@name, @display_name, 1)
        ON CONFLICT (name) DO UPDATE SET display_name = excluded.display_name
        RETURNING id;
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

        var scope = await database.BeginWriteAsync(cancellationToken).ConfigureAwait(false);
        await using (scope.ConfigureAwait(false))
        {
            using (var command = scope.CreateCommand(RegisterSql))
            {
                var name = command.Parameters.Add("@name", Microsoft.Data.Sqlite.SqliteType.Text);
                var displayName = command.Parameters.Add("@display_name", Microsoft.Data.Sqlite.SqliteType.Text);
                foreach (var connector in connectors)
                {
                    name.Value = connector.Name;
                    displayName.Value = connector.DisplayName;
                    var id = (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
                    scope.CreatedConnectors.Add(new(connector.Name, id));
                }
            }

            var all = await ReadConnectorsAsync(scope, cancellationToken).ConfigureAwait(false);
            await scope.CommitAsync(cancellationToken).ConfigureAwait(false);
            return all;
        }
    }

    /// <inheritdoc/>
    public override async Task<IReadOnlyList<ConnectorState>> GetConnectorsAsync(CancellationToken cancellationToken)
    {
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT name, display_name, enabled FROM integration_connector ORDER BY id;";
            return await ReadConnectorsAsync(command, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    public override async Task<bool> SetConnectorEnabledAsync(string connector, bool enabled, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connector);
        var scope = await database.BeginWriteAsync(cancellationToken).ConfigureAwait(false);
        await using (scope.ConfigureAwait(false))
        {
            using var command = scope.CreateCommand("UPDATE integration_connector SET enabled = @enabled WHERE name = @name;");
            command.Parameters.AddWithValue("@enabled", enabled ? 1 : 0);
            command.Parameters.AddWithValue("@name", connector);
            var found = await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
            await scope.CommitAsync(cancellationToken).ConfigureAwait(false);
            return found;
        }
    }

    /// <inheritdoc/>
    public override async Task<IReadOnlyDictionary<string, string>> GetSettingsAsync(CancellationToken cancellationToken)
    {
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT key, value FROM integration_setting;";
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

        var scope = await database.BeginWriteAsync(cancellationToken).ConfigureAwait(false);
        await using (scope.ConfigureAwait(false))
        {
            using var command = scope.CreateCommand(
                "INSERT INTO integration_setting (key, value) VALUES (@key, @value) ON CONFLICT (key) DO UPDATE SET value = excluded.value;");
            var key = SqliteValues.Add(command, "@key", Microsoft.Data.Sqlite.SqliteType.Text);
            var value = SqliteValues.Add(command, "@value", Microsoft.Data.Sqlite.SqliteType.Text);
            foreach (var pair in values)
            {
                key.Value = pair.Key;
                value.Value = pair.Value;
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await scope.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    public override async Task<IReadOnlyList<CircuitBreakerState>> GetCircuitBreakersAsync(CancellationToken cancellationToken)
    {
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = connection.CreateCommand();
            command.CommandText = """
                SELECT c.name, b.state, b.changed_at, b.opened_at, b.open_until, b.reason
                FROM integration_circuit_breaker b JOIN integration_connector c ON c.id = b.connector_id ORDER BY c.id;
                """;
            var states = new List<CircuitBreakerState>();
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    states.Add(new CircuitBreakerState
                    {
                        Connector = reader.GetString(0),
                        Status = (CircuitBreakerStatus)reader.GetInt64(1),
                        ChangedAt = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)),
                        OpenedAt = SqliteValues.ReadTime(reader, 3),
                        OpenUntil = SqliteValues.ReadTime(reader, 4),
                        Reason = SqliteValues.ReadString(reader, 5),
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
        var scope = await database.BeginWriteAsync(cancellationToken).ConfigureAwait(false);
        await using (scope.ConfigureAwait(false))
        {
            using var command = scope.CreateCommand("""
                INSERT INTO integration_circuit_breaker (connector_id, state, changed_at, opened_at, open_until, reason)
                SELECT id, @state, @changed_at, @opened_at, @open_until, @reason FROM integration_connector WHERE name = @name
                ON CONFLICT (connector_id) DO UPDATE SET state = excluded.state, changed_at = excluded.changed_at,
                    opened_at = excluded.opened_at, open_until = excluded.open_until, reason = excluded.reason;
                """);
            command.Parameters.AddWithValue("@name", state.Connector);
            command.Parameters.AddWithValue("@state", (int)state.Status);
            command.Parameters.AddWithValue("@changed_at", SqliteValues.ToUnixMs(state.ChangedAt));
            command.Parameters.AddWithValue("@opened_at", SqliteValues.ToDb(state.OpenedAt));
            command.Parameters.AddWithValue("@open_until", SqliteValues.ToDb(state.OpenUntil));
            command.Parameters.AddWithValue("@reason", SqliteValues.ToDb(state.Reason));
            var found = await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
            await scope.CommitAsync(cancellationToken).ConfigureAwait(false);
            return found;
        }
    }

    private static async Task<IReadOnlyList<ConnectorState>> ReadConnectorsAsync(SqliteWriteScope scope, CancellationToken cancellationToken)
    {
        using var command = scope.CreateCommand("SELECT name, display_name, enabled FROM integration_connector ORDER BY id;");
        return await ReadConnectorsAsync(command, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<IReadOnlyList<ConnectorState>> ReadConnectorsAsync(Microsoft.Data.Sqlite.SqliteCommand command, CancellationToken cancellationToken)
    {
        var connectors = new List<ConnectorState>();
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                connectors.Add(new ConnectorState(reader.GetString(0), reader.GetString(1), reader.GetInt64(2) != 0));
            }
        }

        return connectors;
    }
}
