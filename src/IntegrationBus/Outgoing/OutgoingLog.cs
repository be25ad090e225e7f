using IntegrationBus.Diagnostics;
using Microsoft.Extensions.Logging;

namespace IntegrationBus;

/// <summary>Log messages of outgoing logging.</summary>
internal static partial class OutgoingLog
{
    [LoggerMessage(EventIds.SynchronousProcessingFailed, LogLevel.Warning,
        "Synchronous connector {ConnectorName} failed on {TaskType} of {ObjectType} {ObjectId}: {Message}")]
    public static partial void SynchronousProcessingFailed(ILogger logger, string connectorName, TaskType taskType, string objectType, long? objectId, string message, Exception? exception);

    [LoggerMessage(EventIds.TasksLogged, LogLevel.Debug, "Logged {TaskCount} outgoing tasks")]
    public static partial void TasksLogged(ILogger logger, int taskCount);

    [LoggerMessage(EventIds.UnchangedUpdateIgnored, LogLevel.Debug, "Update of {ObjectType} {ObjectId} changed no field; nothing logged")]
    public static partial void UnchangedUpdateIgnored(ILogger logger, string objectType, long? objectId);

    [LoggerMessage(EventIds.ReferenceNotFound, LogLevel.Warning,
        "Object {ObjectType} {ObjectId} referenced by field {Field} was not found; its translation record holds only the type and ID")]
    public static partial void ReferenceNotFound(ILogger logger, string objectType, long objectId, string field);

    [LoggerMessage(EventIds.SynchronousCallsDiscarded, LogLevel.Warning,
        "{Count} changes of an IntegrationScope on a caller's transaction had synchronous connectors that were not called: the scope was disposed without CommitAsync, so it cannot know the transaction committed")]
    public static partial void SynchronousCallsDiscarded(ILogger logger, int count);

    [LoggerMessage(EventIds.OrderingKeyFailed, LogLevel.Warning,
        "The ordering key selector of connector {ConnectorName} failed for {ObjectType}; the task gets the default key (the object's GUID)")]
    public static partial void OrderingKeyFailed(ILogger logger, string connectorName, string objectType, Exception exception);
}
