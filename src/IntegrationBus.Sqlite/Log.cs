using Microsoft.Extensions.Logging;

namespace IntegrationBus.Sqlite;

/// <summary>The SQLite store's log messages.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = SqliteEventIds.SchemaCreated, EventName = "SqliteSchemaCreated", Level = LogLevel.Information,
        Message = "Created the IntegrationBus SQLite schema version {SchemaVersion} in {DataSource}")]
    public static partial void SchemaCreated(ILogger logger, int schemaVersion, string dataSource);

    [LoggerMessage(EventId = SqliteEventIds.SchemaCurrent, EventName = "SqliteSchemaCurrent", Level = LogLevel.Debug,
        Message = "The IntegrationBus SQLite schema in {DataSource} is at version {SchemaVersion}")]
    public static partial void SchemaCurrent(ILogger logger, string dataSource, int schemaVersion);

    [LoggerMessage(EventId = SqliteEventIds.WalUnavailable, EventName = "SqliteWalUnavailable", Level = LogLevel.Warning,
        Message = "The SQLite database {DataSource} uses journal mode {JournalMode} instead of WAL; readers and the writer will block each other")]
    public static partial void WalUnavailable(ILogger logger, string dataSource, string journalMode);

    [LoggerMessage(EventId = SqliteEventIds.Purged, EventName = "SqlitePurged", Level = LogLevel.Information,
        Message = "Retention deleted {RowCount} rows: {AttemptCount} attempts, {FailedCount} parked synchronizations, {IdempotencyKeyCount} idempotency keys, {HistoryCount} history entries, {AuditCount} audit entries")]
    public static partial void Purged(ILogger logger, long rowCount, long attemptCount, long failedCount, long idempotencyKeyCount, long historyCount, long auditCount);

    [LoggerMessage(EventId = SqliteEventIds.SchemaUpgraded, EventName = "SqliteSchemaUpgraded", Level = LogLevel.Information,
        Message = "Upgraded the IntegrationBus SQLite schema in {DataSource} from version {PreviousVersion} to {SchemaVersion}")]
    public static partial void SchemaUpgraded(ILogger logger, string dataSource, int previousVersion, int schemaVersion);

    [LoggerMessage(EventId = SqliteEventIds.CheckpointFailed, EventName = "SqliteCheckpointFailed", Level = LogLevel.Debug,
        Message = "A background checkpoint of the SQLite WAL failed; it is tried again after the next commit")]
    public static partial void CheckpointFailed(ILogger logger, Exception exception);
}
