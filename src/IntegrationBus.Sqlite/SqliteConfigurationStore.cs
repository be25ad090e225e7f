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
