using IntegrationBus.Diagnostics;
using Microsoft.Extensions.Logging;

namespace IntegrationBus;

/// <summary>Log messages of incoming logging and processing.</summary>
internal static partial class IncomingLog
{
    [LoggerMessage(EventIds.IncomingQueued, LogLevel.Debug, "Queued incoming task {TaskId} from {ConnectorName}: {TaskType} of {ObjectType}")]
    public static partial void IncomingQueued(ILogger logger, long taskId, string connectorName, TaskType taskType, string objectType);

    [LoggerMessage(EventIds.IncomingRefused, LogLevel.Information, "Refused an incoming change from {ConnectorName}: {Status} ({Reason})")]
    public static partial void IncomingRefused(ILogger logger, string connectorName, ExternalTaskStatus status, string reason);

    [LoggerMessage(EventIds.IncomingFailedWaiting, LogLevel.Warning,
        "Incoming task {TaskId} from {ConnectorName} failed: {Message}; the incoming queue waits for an operator to retry or delete it")]
    public static partial void IncomingFailedWaiting(ILogger logger, long taskId, string connectorName, string? message, Exception? exception);

    [LoggerMessage(EventIds.IncomingFailedSkipped, LogLevel.Warning, "Incoming task {TaskId} from {ConnectorName} failed and stays queued (SkipOnError): {Message}")]
    public static partial void IncomingFailedSkipped(ILogger logger, long taskId, string connectorName, string? message, Exception? exception);

    [LoggerMessage(EventIds.IncomingFailedDeleted, LogLevel.Warning, "Incoming task {TaskId} from {ConnectorName} failed and was deleted (DeleteOnError): {Message}")]
    public static partial void IncomingFailedDeleted(ILogger logger, long taskId, string connectorName, string? message, Exception? exception);

    [LoggerMessage(EventIds.IncomingApplied, LogLevel.Debug, "Applied incoming task {TaskId} from {ConnectorName}")]
    public static partial void IncomingApplied(ILogger logger, long taskId, string connectorName);

    [LoggerMessage(EventIds.IncomingConversionFailed, LogLevel.Warning, "Connector {ConnectorName} threw while converting an external object; the change is rejected")]
    public static partial void IncomingConversionFailed(ILogger logger, string connectorName, Exception exception);

    [LoggerMessage(EventIds.IncomingBatchFailed, LogLevel.Debug,
        "A batch of {TaskCount} incoming tasks from {ConnectorName} (from task {TaskId}) failed and is applied one task at a time: {Message}")]
    public static partial void IncomingBatchFailed(ILogger logger, string connectorName, int taskCount, long taskId, string? message);
}
