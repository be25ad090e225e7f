namespace IntegrationBus.Storage;

/// <summary>A connector as the store knows it.</summary>
/// <param name="Name">The connector's code name.</param>
/// <param name="DisplayName">The connector's display name.</param>
/// <param name="Enabled">Whether the connector is enabled (persisted, switchable at run time).</param>
public sealed record ConnectorState(string Name, string DisplayName, bool Enabled);
