using IntegrationBus.Diagnostics;
using Microsoft.Extensions.Logging;

namespace IntegrationBus.Management;

/// <summary>Log messages of operator actions.</summary>
internal static partial class Log
{
    [LoggerMessage(EventIds.ManagementAction, LogLevel.Information, "{Actor} did {Action} on {Target}: {Count} tasks")]
    public static partial void ManagementAction(ILogger logger, string actor, string action, string target, long count);

    [LoggerMessage(EventIds.OperatorRetried, LogLevel.Information, "{Actor} retried task {TaskId} for {ConnectorName}: {Count} synchronizations pending again")]
    public static partial void OperatorRetried(ILogger logger, string actor, long taskId, string connectorName, int count);

    [LoggerMessage(EventIds.OperatorDeleted, LogLevel.Information, "{Actor} deleted task {TaskId} for {ConnectorName}: {Count} synchronizations removed")]
    public static partial void OperatorDeleted(ILogger logger, string actor, long taskId, string connectorName, int count);

    [LoggerMessage(EventIds.IdMapEntryDeleted, LogLevel.Information, "{Actor} deleted the ID-map entry of {ObjectType} {ObjectGuid} for {ConnectorName}")]
    public static partial void IdMapEntryDeleted(ILogger logger, string actor, string connectorName, string objectType, Guid objectGuid);

    [LoggerMessage(EventIds.BlockedKeyAction, LogLevel.Information, "{Actor} did {Action} on blocked key {Key} of {ConnectorName} ({Direction}): head task {TaskId}")]
    public static partial void BlockedKeyAction(ILogger logger, string actor, string action, string key, string connectorName, TaskDirection direction, long taskId);
}
