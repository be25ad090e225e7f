using IntegrationBus.Diagnostics;
using Microsoft.Extensions.Logging;

namespace IntegrationBus;

/// <summary>Log messages of hosting and configuration.</summary>
internal static partial class HostingLog
{
    [LoggerMessage(EventIds.BusStarted, LogLevel.Information, "IntegrationBus started with {ConnectorCount} connectors and {TypeCount} object types")]
    public static partial void BusStarted(ILogger logger, int connectorCount, int typeCount);

    [LoggerMessage(EventIds.ProducerOnly, LogLevel.Information, "IntegrationBus runs producer-only: it queues tasks for {ConnectorCount} connectors and runs no queue; the other nodes on the store process them")]
    public static partial void ProducerOnly(ILogger logger, int connectorCount);

    [LoggerMessage(EventIds.SettingsChanged, LogLevel.Information, "IntegrationBus settings changed to {Settings}")]
    public static partial void SettingsChanged(ILogger logger, BusSettings settings);

    [LoggerMessage(EventIds.ConnectorEnabledChanged, LogLevel.Information, "Connector {ConnectorName} enabled: {Enabled}")]
    public static partial void ConnectorEnabledChanged(ILogger logger, string connectorName, bool enabled);

    [LoggerMessage(EventIds.SettingsRefreshFailed, LogLevel.Warning, "Could not refresh settings from the store; keeping the last known ones")]
    public static partial void SettingsRefreshFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventIds.RetentionApplied, LogLevel.Information,
        "Retention deleted {Attempts} attempt-log entries, {Failed} parked synchronizations, {IdempotencyKeys} idempotency keys, {History} history and {Audit} audit entries")]
    public static partial void RetentionApplied(ILogger logger, long attempts, long failed, long idempotencyKeys, long history, long audit);

    [LoggerMessage(EventIds.RetentionFailed, LogLevel.Warning, "Retention could not run; it is tried again in {RetryDelay}")]
    public static partial void RetentionFailed(ILogger logger, TimeSpan retryDelay, Exception exception);

    [LoggerMessage(EventIds.NotificationListenFailed, LogLevel.Warning, "Listening for notifications from other nodes failed; listening again in {RetryDelay} (polling covers the gap)")]
    public static partial void NotificationListenFailed(ILogger logger, TimeSpan retryDelay, Exception exception);

    [LoggerMessage(EventIds.NotificationPublishFailed, LogLevel.Warning, "Could not notify other nodes of {Kind}; they see it at their next poll")]
    public static partial void NotificationPublishFailed(ILogger logger, Storage.BusNotificationKind kind, Exception exception);

    [LoggerMessage(EventIds.SynchronousCallsWaiting, LogLevel.Information, "Waiting up to {Timeout} for {Count} synchronous connector calls to finish")]
    public static partial void SynchronousCallsWaiting(ILogger logger, TimeSpan timeout, int count);

    [LoggerMessage(EventIds.SynchronousCallsUnfinished, LogLevel.Warning, "{Count} synchronous connector calls were still running when the bus stopped")]
    public static partial void SynchronousCallsUnfinished(ILogger logger, int count);

    [LoggerMessage(EventIds.PartitionsIgnored, LogLevel.Information, "Connector {ConnectorName} asks for {Partitions} partitions, but the task store cannot split queues (one node): its outgoing queue runs whole, with MaxDegreeOfParallelism keys at once")]
    public static partial void PartitionsIgnored(ILogger logger, string connectorName, int partitions);
}
