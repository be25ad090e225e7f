using Microsoft.Extensions.Logging;

namespace IntegrationBus.PostgreSql;

/// <summary>The PostgreSQL store's log messages.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = PostgreSqlEventIds.SchemaCreated, EventName = "PostgreSqlSchemaCreated", Level = LogLevel.Information,
        Message = "Created the IntegrationBus PostgreSQL schema {Schema} at version {SchemaVersion}")]
    public static partial void SchemaCreated(ILogger logger, string schema, int schemaVersion);

    [LoggerMessage(EventId = PostgreSqlEventIds.SchemaCurrent, EventName = "PostgreSqlSchemaCurrent", Level = LogLevel.Debug,
        Message = "The IntegrationBus PostgreSQL schema {Schema} is at version {SchemaVersion}")]
    public static partial void SchemaCurrent(ILogger logger, string schema, int schemaVersion);

    [LoggerMessage(EventId = PostgreSqlEventIds.Purged, EventName = "PostgreSqlPurged", Level = LogLevel.Information,
        Message = "Retention deleted {RowCount} rows: {AttemptCount} attempts, {FailedCount} parked synchronizations, {IdempotencyKeyCount} idempotency keys, {HistoryCount} history entries, {AuditCount} audit entries")]
    public static partial void Purged(ILogger logger, long rowCount, long attemptCount, long failedCount, long idempotencyKeyCount, long historyCount, long auditCount);

    [LoggerMessage(EventId = PostgreSqlEventIds.Listening, EventName = "PostgreSqlListening", Level = LogLevel.Debug,
        Message = "Listening for IntegrationBus notifications on channel {Channel}")]
    public static partial void Listening(ILogger logger, string channel);

    [LoggerMessage(EventId = PostgreSqlEventIds.NotificationUnreadable, EventName = "PostgreSqlNotificationUnreadable", Level = LogLevel.Warning,
        Message = "Ignored a notification on channel {Channel} that is not an IntegrationBus notification")]
    public static partial void NotificationUnreadable(ILogger logger, string channel, Exception exception);
}
