namespace IntegrationBus;

/// <summary>One <c>AddConnector</c> call: how to get the connector and the options callback that goes with it.</summary>
internal sealed record ConnectorRegistration(Func<IServiceProvider, Connector> Factory, Action<ConnectorOptions>? Configure);
