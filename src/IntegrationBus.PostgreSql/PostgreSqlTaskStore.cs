using IntegrationBus.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace IntegrationBus.PostgreSql;

/// <summary>The PostgreSQL <see cref="TaskStore"/>: several nodes share one set of queues, with leases by the database clock, fair spreading and <c>LISTEN/NOTIFY</c> wake-ups.</summary>
/// <remarks>
/// <para>
/// Thread-safe; register it as a singleton. Every node runs with READ COMMITTED, many writers at once: recording checks
/// the lease and locks its row in the writing transaction, acknowledgements lock their task rows before deleting (so a
/// task goes with its last synchronization), and fetching locks nothing (the lease serialises a queue; FIFO holds).
/// Times are stored as <c>timestamptz</c>, cut to the millisecond, so they round-trip to the millisecond in UTC.
/// </para>
/// <para>
/// Leases are judged by the database's clock (<see cref="LeaseStore.UsesStoreClock"/>), fenced by a token that grows
/// with every grant, and spread across nodes: a node over its fair share is refused new queues and asked to yield
/// (<see cref="QueueLease.YieldRequested"/>). Appends send one <c>NOTIFY</c> per queue inside their transaction, so other
/// nodes wake when it commits; <see cref="Notifier"/> listens for them and carries settings changes.
/// </para>
/// </remarks>
public sealed class PostgreSqlTaskStore : TaskStore, IAsyncDisposable, IDisposable
{
    private readonly ILogger<PostgreSqlTaskStore> _logger;
    private readonly PostgreSqlDatabase _database;
    private readonly PostgreSqlBusNotifier _notifier;

    /// <summary>Creates the store on the options' connection string; the store owns (and disposes) its data source. Call <see cref="InitializeAsync"/> before anything else.</summary>
    /// <param name="options">The options.</param>
    /// <param name="logger">The logger.</param>
    /// <exception cref="OptionsValidationException">The options are invalid, or the connection string is missing.</exception>
    public PostgreSqlTaskStore(IOptions<PostgreSqlTaskStoreOptions> options, ILogger<PostgreSqlTaskStore> logger)
        : this(options, logger, null)
    {
    }

    /// <summary>Creates the store on a data source the application owns (the store does not dispose it). Call <see cref="InitializeAsync"/> before anything else.</summary>
    /// <param name="dataSource">The data source; its connections reach the database that holds the schema.</param>
    /// <param name="options">The options (their connection string is ignored).</param>
    /// <param name="logger">The logger.</param>
    /// <exception cref="OptionsValidationException">The options are invalid.</exception>
    public PostgreSqlTaskStore(NpgsqlDataSource dataSource, IOptions<PostgreSqlTaskStoreOptions> options, ILogger<PostgreSqlTaskStore> logger)
        : this(options, logger, dataSource ?? throw new ArgumentNullException(nameof(dataSource)))
    {
    }

    private PostgreSqlTaskStore(IOptions<PostgreSqlTaskStoreOptions> options, ILogger<PostgreSqlTaskStore> logger, NpgsqlDataSource? dataSource)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        var value = options.Value;
        var validation = new PostgreSqlTaskStoreOptionsValidator().Validate(Options.DefaultName, value);
        if (validation.Failed)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(PostgreSqlTaskStoreOptions), validation.Failures);
        }

        if (dataSource is null && string.IsNullOrWhiteSpace(value.ConnectionString))
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(PostgreSqlTaskStoreOptions),
                [$"{nameof(PostgreSqlTaskStoreOptions.ConnectionString)}: the PostgreSQL connection string is required (or pass an NpgsqlDataSource to UsePostgreSql)."]);
        }

        _logger = logger;
        _database = new PostgreSqlDatabase(dataSource ?? CreateDataSource(value.ConnectionString), ownsDataSource: dataSource is null, value);
        Queue = new PostgreSqlQueueStore(_database);
        Leases = new PostgreSqlLeaseStore(_database);
        Configuration = new PostgreSqlConfigurationStore(_database);
        Management = new PostgreSqlManagementStore(_database);
        Retention = new PostgreSqlRetentionStore(_database, logger);
        IdMap = new PostgreSqlIdMapStore(_database);
        BlockedKeys = new PostgreSqlBlockedKeyStore(_database);
        Resyncs = new PostgreSqlResyncStore(_database, new PostgreSqlTaskAppender(_database));
        _notifier = new PostgreSqlBusNotifier(_database, value.ListenKeepAlive, logger);
    }

    /// <inheritdoc/>
    public override QueueStore Queue { get; }

    /// <inheritdoc/>
    public override LeaseStore Leases { get; }

    /// <inheritdoc/>
    public override ConfigurationStore Configuration { get; }

    /// <inheritdoc/>
    public override ManagementStore Management { get; }

    /// <inheritdoc/>
    public override RetentionStore Retention { get; }

    /// <inheritdoc/>
    public override IdMapStore IdMap { get; }

    /// <inheritdoc/>
    public override BlockedKeyStore BlockedKeys { get; }

    /// <inheritdoc/>
    public override ResyncStore Resyncs { get; }

    /// <inheritdoc/>
    /// <value>A notifier on <c>LISTEN/NOTIFY</c> (channel <see cref="PostgreSqlTaskStoreOptions.NotificationChannel"/>).</value>
    public override BusNotifier Notifier => _notifier;

    /// <summary>Gets the database this store works on, for tests and the provider's own facts.</summary>
    internal PostgreSqlDatabase Database => _database;

    /// <inheritdoc/>
    /// <remarks>
    /// Creates the schema and its tables when missing, in one transaction under an advisory lock of the schema, so nodes
    /// starting together create it once; running it again changes nothing.
    /// </remarks>
    /// <exception cref="IntegrationBusException">The schema has a newer version than this version knows.</exception>
    public override async Task InitializeAsync(CancellationToken cancellationToken)
    {
        var previous = await PostgreSqlSchema.EnsureAsync(_database, cancellationToken).ConfigureAwait(false);
        var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = _database.Command(connection, null, "SELECT current_database();");
            _database.DatabaseName = (string?)await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        }

        if (previous == 0)
        {
            Log.SchemaCreated(_logger, _database.Schema, PostgreSqlSchema.CurrentVersion);
        }
        else
        {
            Log.SchemaCurrent(_logger, _database.Schema, PostgreSqlSchema.CurrentVersion);
        }
    }

    /// <summary>Disposes the data source when the store created it.</summary>
    /// <returns>A task that completes when disposed.</returns>
    public ValueTask DisposeAsync() => _database.DisposeAsync();

    /// <summary>Disposes the data source when the store created it.</summary>
    public void Dispose() => _database.Dispose();

    /// <summary>Creates the data source of a connection string, with Npgsql's automatic preparation on unless the string sets it.</summary>
    /// <remarks>
    /// Every store statement is fixed text with parameters, run thousands of times: prepared, the server parses and plans
    /// it once per connection instead of on every call (measured on the drain: planning was most of the server's time
    /// per batch). <c>Max Auto Prepare=0</c> in the connection string turns it off (for example behind a PgBouncer older
    /// than 1.21 in transaction mode).
    /// </remarks>
    private static NpgsqlDataSource CreateDataSource(string connectionString)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        if (!given.ContainsKey("Max Auto Prepare") && !given.ContainsKey("MaxAutoPrepare"))
        {
            builder.ConnectionStringBuilder.MaxAutoPrepare = PostgreSqlTaskStoreDefaults.MaxAutoPrepare;
        }

        return builder.Build();
    }
}
