using System.Data.Common;

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

    /// <summary>Reads the stored state of every connector's circuit breaker that has one.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The states; a connector without a row has a closed breaker.</returns>
    /// <remarks>The default (for stores that do not keep breaker states) answers none: each node then keeps its breakers to itself.</remarks>
    public virtual Task<IReadOnlyList<CircuitBreakerState>> GetCircuitBreakersAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<CircuitBreakerState>>([]);

    /// <summary>Stores the state of a connector's circuit breaker, replacing the one stored before.</summary>
    /// <param name="state">The state.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns><see langword="true"/> when the store knows the connector (and stored the state).</returns>
    /// <remarks>The default (for stores that do not keep breaker states) stores nothing and answers <see langword="false"/>.</remarks>
    public virtual Task<bool> SetCircuitBreakerAsync(CircuitBreakerState state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        return Task.FromResult(false);
    }

    /// <summary>Reads the settings a <c>SELECT key, value</c> command answers; the same in every store.</summary>
    /// <param name="command">The command, on an open connection.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The settings by key.</returns>
    protected static async Task<IReadOnlyDictionary<string, string>> ReadSettingsAsync(DbCommand command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
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

    /// <summary>The checks every store makes on the values of <see cref="SetSettingsAsync"/>.</summary>
    /// <param name="values">The values.</param>
    /// <exception cref="ArgumentNullException"><paramref name="values"/> or a value is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A key is empty.</exception>
    protected static void ValidateSettings(IReadOnlyDictionary<string, string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        foreach (var (key, value) in values)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(key, nameof(values));
            ArgumentNullException.ThrowIfNull(value, nameof(values));
        }
    }
}
