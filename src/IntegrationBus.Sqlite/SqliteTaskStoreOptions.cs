using System.ComponentModel.DataAnnotations;

namespace IntegrationBus.Sqlite;

/// <summary>Options of the <see cref="SqliteTaskStore"/>.</summary>
public sealed class SqliteTaskStoreOptions
{
    /// <summary>Gets or sets the Microsoft.Data.Sqlite connection string, e.g. <c>Data Source=bus.db</c>.</summary>
    /// <value>Required; no default.</value>
    [Required]
    public string ConnectionString { get; set; } = string.Empty;

    /// <summary>Gets or sets how long a connection waits for another writer's lock (<c>PRAGMA busy_timeout</c>).</summary>
    /// <remarks>
    /// The store also sets the connection's <c>Default Timeout</c> to match, so Microsoft.Data.Sqlite does not add
    /// its own retries (which sleep about 150 ms each) on top of SQLite's busy handler.
    /// </remarks>
    /// <value>5 seconds; between 1 millisecond and 10 minutes.</value>
    [Range(typeof(TimeSpan), SqliteTaskStoreDefaults.MinimumBusyTimeout, SqliteTaskStoreDefaults.MaximumBusyTimeout)]
    public TimeSpan BusyTimeout { get; set; } = SqliteTaskStoreDefaults.BusyTimeout;

    /// <summary>Gets or sets the <c>PRAGMA synchronous</c> mode of every connection.</summary>
    /// <value><see cref="SqliteSynchronousMode.Normal"/>: with WAL, durable against a process crash.</value>
    [EnumDataType(typeof(SqliteSynchronousMode))]
    public SqliteSynchronousMode Synchronous { get; set; } = SqliteTaskStoreDefaults.Synchronous;

    /// <summary>Gets or sets how often the store's notifier reads notifications that other processes on the same file published.</summary>
    /// <remarks>
    /// Settings changes, connector switches and wake-ups reach the other processes after at most about this long;
    /// each poll is one small indexed read. Waits use the store's <see cref="TimeProvider"/>.
    /// </remarks>
    /// <value>500 milliseconds; between 10 milliseconds and 1 minute.</value>
    [Range(typeof(TimeSpan), SqliteTaskStoreDefaults.MinimumNotificationPollInterval, SqliteTaskStoreDefaults.MaximumNotificationPollInterval)]
    public TimeSpan NotificationPollInterval { get; set; } = SqliteTaskStoreDefaults.NotificationPollInterval;
}
