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
}
