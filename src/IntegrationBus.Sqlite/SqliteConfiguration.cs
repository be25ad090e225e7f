using IntegrationBus.Storage;

namespace IntegrationBus.Sqlite;

/// <summary>The store's connectors and settings tables.</summary>
internal sealed class SqliteConfiguration(SqliteDatabase database)
{
    private const string RegisterSql = """
        INSERT INTO integration_connector (name, display_name, enabled) VALUES (@name, @display_name, 1)
        ON CONFLICT (name) DO UPDATE SET display_name = excluded.display_name
        RETURNING id;
        """;

    /// <summary>Registers connectors; see <see cref="ITaskStore.RegisterConnectorsAsync"/>.</summary>
    /// <param name="connectors">The connectors.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Every known connector.</returns>
    public async Task<IReadOnlyList<ConnectorState>> RegisterConnectorsAsync(IReadOnlyList<ConnectorState> connectors, CancellationToken cancellationToken)
    {
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

    /// <summary>Reads every connector; see <see cref="ITaskStore.GetConnectorsAsync"/>.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The connectors.</returns>
    public async Task<IReadOnlyList<ConnectorState>> GetConnectorsAsync(CancellationToken cancellationToken)
    {
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT name, display_name, enabled FROM integration_connector ORDER BY id;";
            return await ReadConnectorsAsync(command, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Enables or disables a connector; see <see cref="ITaskStore.SetConnectorEnabledAsync"/>.</summary>
    /// <param name="connector">The connector.</param>
    /// <param name="enabled">The new state.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Whether the connector exists.</returns>
    public async Task<bool> SetConnectorEnabledAsync(string connector, bool enabled, CancellationToken cancellationToken)
    {
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

    /// <summary>Reads the settings; see <see cref="ITaskStore.GetSettingsAsync"/>.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The settings by key.</returns>
    public async Task<IReadOnlyDictionary<string, string>> GetSettingsAsync(CancellationToken cancellationToken)
    {
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT key, value FROM integration_setting;";
            var settings = new Dictionary<string, string>(StringComparer.Ordinal);
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    settings[reader.GetString(0)] = reader.GetString(1);
                }
            }

            return settings;
        }
    }

    /// <summary>Stores a setting; see <see cref="ITaskStore.SetSettingAsync"/>.</summary>
    /// <param name="key">The key.</param>
    /// <param name="value">The value.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when stored.</returns>
    public async Task SetSettingAsync(string key, string value, CancellationToken cancellationToken)
    {
        var scope = await database.BeginWriteAsync(cancellationToken).ConfigureAwait(false);
        await using (scope.ConfigureAwait(false))
        {
            using var command = scope.CreateCommand(
                "INSERT INTO integration_setting (key, value) VALUES (@key, @value) ON CONFLICT (key) DO UPDATE SET value = excluded.value;");
            command.Parameters.AddWithValue("@key", key);
            command.Parameters.AddWithValue("@value", value);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
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
