using IntegrationBus.Diagnostics;
using Microsoft.Extensions.Logging;

namespace IntegrationBus.Processing;

/// <summary>Log messages of the runners.</summary>
internal static partial class Log
{
    [LoggerMessage(EventIds.RunnerStarted, LogLevel.Information, "Runner for {ConnectorName} ({Direction}) started")]
    public static partial void RunnerStarted(ILogger logger, string connectorName, TaskDirection direction);

    [LoggerMessage(EventIds.LeaseTaken, LogLevel.Information, "Runner for {ConnectorName} ({Direction}) took the lease as {Owner} with token {Token}")]
    public static partial void LeaseTaken(ILogger logger, string connectorName, TaskDirection direction, string owner, long token);

    [LoggerMessage(EventIds.LeaseRenewed, LogLevel.Debug, "Runner for {ConnectorName} ({Direction}) renewed its lease (token {Token}) until {ExpiresAt}")]
    public static partial void LeaseRenewed(ILogger logger, string connectorName, TaskDirection direction, long token, DateTimeOffset expiresAt);

    [LoggerMessage(EventIds.LeaseYielded, LogLevel.Information, "Runner for {ConnectorName} ({Direction}) gave its lease (token {Token}) up at the store's request, for another node to take")]
    public static partial void LeaseYielded(ILogger logger, string connectorName, TaskDirection direction, long token);

    [LoggerMessage(EventIds.LeaseReleaseFailed, LogLevel.Warning, "Runner for {ConnectorName} ({Direction}) could not release its lease; it expires by itself and another node takes the queue then")]
    public static partial void LeaseReleaseFailed(ILogger logger, string connectorName, TaskDirection direction, Exception exception);

    [LoggerMessage(EventIds.LeaseHeldElsewhere, LogLevel.Information, "Runner for {ConnectorName} ({Direction}) waits: another node holds the lease")]
    public static partial void LeaseHeldElsewhere(ILogger logger, string connectorName, TaskDirection direction);

    [LoggerMessage(EventIds.LeaseLost, LogLevel.Warning, "Runner for {ConnectorName} ({Direction}) lost its lease (token {Token}): {Reason}; the run stops at once")]
    public static partial void LeaseLost(ILogger logger, string connectorName, TaskDirection direction, long token, string reason, Exception? exception);

    [LoggerMessage(EventIds.ResultsRefused, LogLevel.Warning,
        "Runner for {ConnectorName} ({Direction}): the store refused the results of {TaskCount} tasks because lease token {Token} is stale; they stay queued for the new lease holder")]
    public static partial void ResultsRefused(ILogger logger, string connectorName, TaskDirection direction, int taskCount, long token);

    [LoggerMessage(EventIds.TaskProcessed, LogLevel.Debug, "{ConnectorName} processed task {TaskId} ({Direction}) with {Result}")]
    public static partial void TaskProcessed(ILogger logger, string connectorName, long taskId, TaskDirection direction, TaskResultKind result);

    [LoggerMessage(EventIds.TaskFailed, LogLevel.Warning,
        "{ConnectorName} failed task {TaskId} ({Direction}) on attempt {Attempt}: {Message}; the queue waits and retries at {NextAttemptAt}")]
    public static partial void TaskFailed(ILogger logger, string connectorName, long taskId, TaskDirection direction, int attempt, string? message, DateTimeOffset nextAttemptAt, Exception? exception);

    [LoggerMessage(EventIds.TaskFailedAndSkipped, LogLevel.Warning,
        "{ConnectorName} failed task {TaskId} ({Direction}) on attempt {Attempt} and skipped it: {Message}; it is retried at {NextAttemptAt}")]
    public static partial void TaskFailedAndSkipped(ILogger logger, string connectorName, long taskId, TaskDirection direction, int attempt, string? message, DateTimeOffset nextAttemptAt, Exception? exception);

    [LoggerMessage(EventIds.TaskParked, LogLevel.Error,
        "{ConnectorName} parked task {TaskId} ({Direction}) as failed after {Attempt} attempts: {Message}; an operator must retry or delete it")]
    public static partial void TaskParked(ILogger logger, string connectorName, long taskId, TaskDirection direction, int attempt, string? message, Exception? exception);

    [LoggerMessage(EventIds.RunnerIterationFailed, LogLevel.Error,
        "Runner for {ConnectorName} ({Direction}) could not make progress; retrying in {RetryDelay}")]
    public static partial void RunnerIterationFailed(ILogger logger, string connectorName, TaskDirection direction, TimeSpan retryDelay, Exception exception);

    [LoggerMessage(EventIds.RunnerStopped, LogLevel.Information, "Runner for {ConnectorName} ({Direction}) stopped")]
    public static partial void RunnerStopped(ILogger logger, string connectorName, TaskDirection direction);

    [LoggerMessage(EventIds.TaskPayloadUnreadable, LogLevel.Error,
        "Task {TaskId} for {ConnectorName} ({Direction}) has an unreadable payload and is parked as failed: {Message}")]
    public static partial void TaskPayloadUnreadable(ILogger logger, long taskId, string connectorName, TaskDirection direction, string message);

    [LoggerMessage(EventIds.PayloadFieldIgnored, LogLevel.Debug,
        "Task {TaskId} for {ConnectorName} ({Direction}) carries field '{Field}', which object type '{ObjectType}' no longer declares; the field is ignored")]
    public static partial void PayloadFieldIgnored(ILogger logger, long taskId, string connectorName, TaskDirection direction, string objectType, string field);

    [LoggerMessage(EventIds.TaskSkipped, LogLevel.Debug, "{ConnectorName} skipped task {TaskId} ({Direction}) for now: {Message}")]
    public static partial void TaskSkipped(ILogger logger, string connectorName, long taskId, TaskDirection direction, string? message);

    [LoggerMessage(EventIds.RunWaitingForRetry, LogLevel.Debug,
        "{ConnectorName} ({Direction}) waits for task {TaskId}, due for retry at {NextAttemptAt} (none: an operator must retry or delete it)")]
    public static partial void RunWaitingForRetry(ILogger logger, string connectorName, TaskDirection direction, long taskId, DateTimeOffset? nextAttemptAt);

    [LoggerMessage(EventIds.RunnerWaiting, LogLevel.Debug, "Runner for {ConnectorName} ({Direction}) is idle; it looks again within {Wait} unless woken")]
    public static partial void RunnerWaiting(ILogger logger, string connectorName, TaskDirection direction, TimeSpan wait);

    [LoggerMessage(EventIds.ExternalIdNotMapped, LogLevel.Warning, "{ConnectorName} acknowledged task {TaskId} with external ID {ExternalId}, but its {ObjectType} has no GUID, so the ID map cannot keep it")]
    public static partial void ExternalIdNotMapped(ILogger logger, string connectorName, long taskId, string externalId, string objectType);

    [LoggerMessage(EventIds.KeyHeld, LogLevel.Debug,
        "Runner for {ConnectorName} (Outgoing) holds key {OrderingKey} at task {TaskId} for the rest of the run; the key is due again at {NextAttemptAt} (none: an operator must act)")]
    public static partial void KeyHeld(ILogger logger, string connectorName, string orderingKey, long taskId, DateTimeOffset? nextAttemptAt);
}
