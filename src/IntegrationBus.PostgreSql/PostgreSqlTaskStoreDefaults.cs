namespace IntegrationBus.PostgreSql;

/// <summary>The defaults and limits of <see cref="PostgreSqlTaskStoreOptions"/>.</summary>
internal static class PostgreSqlTaskStoreDefaults
{
    /// <summary>The schema that holds the bus's tables: <c>integration_bus</c>.</summary>
    public const string Schema = "integration_bus";

    /// <summary>What a schema or channel name must look like: a lower-case SQL identifier of at most 63 characters.</summary>
    public const string IdentifierPattern = "^[a-z_][a-z0-9_]{0,62}$";

    /// <summary>
    /// How many statements Npgsql prepares automatically per connection when the connection string does not say: 64,
    /// more than the store's distinct statements of one schema.
    /// </summary>
    public const int MaxAutoPrepare = 64;

    /// <summary>How long one statement may run before the server cancels it: 30 seconds.</summary>
    public static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The shortest command timeout allowed: 1 second (Npgsql counts whole seconds).</summary>
    public const string MinimumCommandTimeout = "00:00:01";

    /// <summary>The longest command timeout allowed: 1 hour.</summary>
    public const string MaximumCommandTimeout = "01:00:00";

    /// <summary>
    /// How long the notifier's listening connection may stay silent before it is probed with a query: 30 seconds, so a
    /// connection that died without a word (a network cut) is noticed within that time and listening starts again.
    /// </summary>
    public static readonly TimeSpan ListenKeepAlive = TimeSpan.FromSeconds(30);

    /// <summary>The shortest keep-alive allowed: 1 second.</summary>
    public const string MinimumListenKeepAlive = "00:00:01";

    /// <summary>The longest keep-alive allowed: 10 minutes.</summary>
    public const string MaximumListenKeepAlive = "00:10:00";
}
