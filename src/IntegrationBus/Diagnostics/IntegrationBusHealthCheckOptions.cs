namespace IntegrationBus;

/// <summary>Options of the bus's health checks (<see cref="IntegrationBusHealthChecksBuilderExtensions.AddIntegrationBusHealthChecks"/>).</summary>
public sealed class IntegrationBusHealthCheckOptions
{
    /// <summary>Gets or sets how old the queues' figures may be before a check reads them from the store again.</summary>
    /// <remarks>Bounds the store reads of a health endpoint that is polled often; the store check reads at least this often.</remarks>
    /// <value>10 seconds.</value>
    public TimeSpan MaxFigureAge { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Gets the thresholds of every connector without its own entry in <see cref="Connectors"/>.</summary>
    public ConnectorHealthThresholds Defaults { get; } = new();

    /// <summary>Gets thresholds per connector code name (case-insensitive), replacing <see cref="Defaults"/> for that connector.</summary>
    public IDictionary<string, ConnectorHealthThresholds> Connectors { get; } = new Dictionary<string, ConnectorHealthThresholds>(StringComparer.OrdinalIgnoreCase);
}
