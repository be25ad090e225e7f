using IntegrationBus.Diagnostics;
using Microsoft.Extensions.Logging;

namespace IntegrationBus.Hosting;

/// <summary>Log messages of hosting and configuration.</summary>
internal static partial class Log
{
    [LoggerMessage(EventIds.BusStarted, LogLevel.Information, "IntegrationBus started with {ConnectorCount} connectors and {TypeCount} object types")]
    public static partial void BusStarted(ILogger logger, int connectorCount, int typeCount);

    [LoggerMessage(EventIds.SettingsChanged, LogLevel.Information, "IntegrationBus settings changed to {Settings}")]
    public static partial void SettingsChanged(ILogger logger, Settings.BusSettings settings);

    [LoggerMessage(EventIds.ConnectorEnabledChanged, LogLevel.Information, "Connector {ConnectorName} enabled: {Enabled}")]
    public static partial void ConnectorEnabledChanged(ILogger logger, string connectorName, bool enabled);

    [LoggerMessage(EventIds.SettingsRefreshFailed, LogLevel.Warning, "Could not refresh settings from the store; keeping the last known ones")]
    public static partial void SettingsRefreshFailed(ILogger logger, Exception exception);
}
