using IntegrationBus.Diagnostics;
using Microsoft.Extensions.Logging;

namespace IntegrationBus.Webhooks;

/// <summary>Log messages of the webhook connectors.</summary>
internal static partial class Log
{
    [LoggerMessage(EventIds.WebhookDelivered, LogLevel.Debug, "{ConnectorName} delivered task {TaskId} to {Url}: HTTP {StatusCode} in {ElapsedMs} ms")]
    public static partial void WebhookDelivered(ILogger logger, string connectorName, long taskId, string url, int statusCode, long elapsedMs);

    [LoggerMessage(EventIds.WebhookRefused, LogLevel.Debug, "{ConnectorName} could not deliver task {TaskId} to {Url}: HTTP {StatusCode} in {ElapsedMs} ms")]
    public static partial void WebhookRefused(ILogger logger, string connectorName, long taskId, string url, int statusCode, long elapsedMs);

    [LoggerMessage(EventIds.WebhookGone, LogLevel.Warning, "{ConnectorName} is disabled on every node: {Reason}")]
    public static partial void WebhookGone(ILogger logger, string connectorName, string reason);

    [LoggerMessage(EventIds.WebhookAddressRefused, LogLevel.Warning, "{ConnectorName} refused to connect for task {TaskId}: {Reason}")]
    public static partial void WebhookAddressRefused(ILogger logger, string connectorName, long taskId, string reason);
}
