namespace IntegrationBus.Storage;

/// <summary>The configuration part of a <see cref="TaskStore"/>: connectors and stored settings.</summary>
public abstract class ConfigurationStore
{
    /// <summary>Adds connectors that the store does not know yet (enabled) and updates display names.</summary>
    /// <param name="connectors">The connectors' code names and display names (their <see cref="ConnectorState.Enabled"/> is ignored).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The state of every known connector.</returns>
    public abstract Task<IReadOnlyList<ConnectorState>> RegisterConnectorsAsync(IReadOnlyList<ConnectorState> connectors, CancellationToken cancellationToken);

    /// <summary>Reads every known connector.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The connectors.</returns>
    public abstract Task<IReadOnlyList<ConnectorState>> GetConnectorsAsync(CancellationToken cancellationToken);

    /// <summary>Enables or disables a connector.</summary>
    /// <param name="connector">The connector's code name.</param>
    /// <param name="enabled">The new state.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns><see langword="true"/> when the connector exists.</returns>
    public abstract Task<bool> SetConnectorEnabledAsync(string connector, bool enabled, CancellationToken cancellationToken);

    /// <summary>Reads the stored settings.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The settings by key.</returns>
    public abstract Task<IReadOnlyDictionary<string, string>> GetSettingsAsync(CancellationToken cancellationToken);

    /// <summary>Stores settings in one transaction; keys not given keep their values.</summary>
    /// <param name="values">The keys and values.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the settings are stored.</returns>
    public abstract Task SetSettingsAsync(IReadOnlyDictionary<string, string> values, CancellationToken cancellationToken);
}
