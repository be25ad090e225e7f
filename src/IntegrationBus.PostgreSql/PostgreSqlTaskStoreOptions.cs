using System.ComponentModel.DataAnnotations;

namespace IntegrationBus.PostgreSql;

/// <summary>Options of the <see cref="PostgreSqlTaskStore"/>.</summary>
public sealed class PostgreSqlTaskStoreOptions
{
    /// <summary>Gets or sets the Npgsql connection string, e.g. <c>Host=db;Database=app;Username=app;Password=…</c>.</summary>
    /// <remarks>Not needed when the store is given an <c>NpgsqlDataSource</c> (<c>UsePostgreSql(dataSource)</c>); that one wins.</remarks>
    /// <value>Empty; required unless a data source is given.</value>
    public string ConnectionString { get; set; } = string.Empty;

    /// <summary>Gets or sets the schema that holds the bus's tables; created at start when missing.</summary>
    /// <remarks>
    /// A lower-case SQL identifier (letters, digits and underscores, not starting with a digit, at most 63 characters).
    /// Several buses can share one database in different schemas.
    /// </remarks>
    /// <value><c>integration_bus</c>.</value>
    [Required]
    [RegularExpression(PostgreSqlTaskStoreDefaults.IdentifierPattern)]
    public string Schema { get; set; } = PostgreSqlTaskStoreDefaults.Schema;

    /// <summary>Gets or sets how long one statement of the store may run before the server cancels it.</summary>
    /// <value>30 seconds; between 1 second and 1 hour.</value>
    [Range(typeof(TimeSpan), PostgreSqlTaskStoreDefaults.MinimumCommandTimeout, PostgreSqlTaskStoreDefaults.MaximumCommandTimeout)]
    public TimeSpan CommandTimeout { get; set; } = PostgreSqlTaskStoreDefaults.CommandTimeout;

    /// <summary>Gets or sets the <c>LISTEN/NOTIFY</c> channel through which nodes wake each other and spread settings changes.</summary>
    /// <remarks>A lower-case SQL identifier; buses that share a channel wake each other.</remarks>
    /// <value><see langword="null"/>: the schema's name, so buses in different schemas never wake each other.</value>
    [RegularExpression(PostgreSqlTaskStoreDefaults.IdentifierPattern)]
    public string? NotificationChannel { get; set; }

    /// <summary>Gets or sets how long the notifier's listening connection may stay silent before it is probed with a query.</summary>
    /// <remarks>
    /// A connection the server closed is noticed at once; one lost without a word (a network cut) when the probe
    /// fails, after which the bus listens again. Wake-ups missed meanwhile are caught by every node's sweep
    /// (<c>IntegrationBusOptions.SweepInterval</c>), the polling fallback.
    /// </remarks>
    /// <value>30 seconds; between 1 second and 10 minutes.</value>
    [Range(typeof(TimeSpan), PostgreSqlTaskStoreDefaults.MinimumListenKeepAlive, PostgreSqlTaskStoreDefaults.MaximumListenKeepAlive)]
    public TimeSpan ListenKeepAlive { get; set; } = PostgreSqlTaskStoreDefaults.ListenKeepAlive;
}
