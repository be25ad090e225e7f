using Microsoft.Extensions.Logging;

namespace IntegrationBus.Diagnostics;

/// <summary>Log messages of the metrics and health checks.</summary>
internal static partial class DiagnosticsLog
{
    [LoggerMessage(EventIds.QueueFiguresRefreshed, LogLevel.Debug, "Read the figures of {QueueCount} queues for metrics and health checks")]
    public static partial void QueueFiguresRefreshed(ILogger logger, int queueCount);

    [LoggerMessage(EventIds.QueueFiguresFailed, LogLevel.Warning, "Could not read the queues' figures for metrics; they keep their last values")]
    public static partial void QueueFiguresFailed(ILogger logger, Exception exception);
}
