namespace IntegrationBus.Sqlite;

/// <summary>The defaults of <see cref="SqliteTaskStoreOptions"/>.</summary>
internal static class SqliteTaskStoreDefaults
{
    /// <summary>How long a connection waits for another writer's lock before failing: 5 seconds.</summary>
    public static readonly TimeSpan BusyTimeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// <see cref="SqliteSynchronousMode.Normal"/>: with WAL, a commit survives a process crash; only a power loss
    /// can lose the last commits. This is the usual WAL setting and much faster than <c>FULL</c>.
    /// </summary>
    public const SqliteSynchronousMode Synchronous = SqliteSynchronousMode.Normal;

    /// <summary>The smallest busy timeout allowed: 1 millisecond.</summary>
    public const string MinimumBusyTimeout = "00:00:00.001";

    /// <summary>The largest busy timeout allowed: 10 minutes.</summary>
    public const string MaximumBusyTimeout = "00:10:00";

    /// <summary>
    /// How often a listener reads the notification table: 500 milliseconds, so a settings change or a wake-up made by
    /// another process on the same file arrives within a second, at the cost of one indexed read per interval.
    /// </summary>
    public static readonly TimeSpan NotificationPollInterval = TimeSpan.FromMilliseconds(500);

    /// <summary>The shortest notification poll interval allowed: 10 milliseconds.</summary>
    public const string MinimumNotificationPollInterval = "00:00:00.010";

    /// <summary>The longest notification poll interval allowed: 1 minute (notifications are kept for a minute).</summary>
    public const string MaximumNotificationPollInterval = "00:01:00";
}
