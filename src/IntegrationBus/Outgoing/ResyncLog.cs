using IntegrationBus.Diagnostics;
using Microsoft.Extensions.Logging;

namespace IntegrationBus;

/// <summary>Log messages of resync jobs.</summary>
internal static partial class ResyncLog
{
    [LoggerMessage(EventIds.ResyncClaimed, LogLevel.Information, "Resync {ResyncId} of {ConnectorName} taken by this node at type {CursorType} after ID {CursorId}")]
    public static partial void Claimed(ILogger logger, long resyncId, string connectorName, string? cursorType, long? cursorId);

    [LoggerMessage(EventIds.ResyncBatchQueued, LogLevel.Debug, "Resync {ResyncId} of {ConnectorName} queued {TaskCount} tasks of {ObjectType} up to ID {CursorId}")]
    public static partial void BatchQueued(ILogger logger, long resyncId, string connectorName, int taskCount, string objectType, long? cursorId);

    [LoggerMessage(EventIds.ResyncCompleted, LogLevel.Information, "Resync {ResyncId} of {ConnectorName} completed: {Count} tasks queued")]
    public static partial void Completed(ILogger logger, long resyncId, string connectorName, long count);

    [LoggerMessage(EventIds.ResyncStopped, LogLevel.Information, "Resync {ResyncId} of {ConnectorName} stopped on this node: it was cancelled or another node took it")]
    public static partial void Stopped(ILogger logger, long resyncId, string connectorName);

    [LoggerMessage(EventIds.ResyncFailed, LogLevel.Error, "Resync {ResyncId} of {ConnectorName} failed: {Message}")]
    public static partial void Failed(ILogger logger, long resyncId, string connectorName, string message);

    [LoggerMessage(EventIds.ResyncIterationFailed, LogLevel.Warning, "A resync batch failed; the job resumes from its cursor on the next attempt")]
    public static partial void IterationFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventIds.ResyncRequestedByNode, LogLevel.Debug, "Node {Node} started a resync; this node's resync worker looks for it now")]
    public static partial void RequestedByNode(ILogger logger, string node);

    [LoggerMessage(EventIds.ResyncStarted, LogLevel.Information, "{Actor} started resync {ResyncId} of {ConnectorName} for types {TypeFilter} since {Since}")]
    public static partial void Started(ILogger logger, string actor, long resyncId, string connectorName, string typeFilter, DateTimeOffset? since);

    [LoggerMessage(EventIds.ResyncCancelled, LogLevel.Information, "{Actor} cancelled resync {ResyncId}")]
    public static partial void Cancelled(ILogger logger, string actor, long resyncId);
}
