using IntegrationBus.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IntegrationBus.Sqlite;

/// <summary>The embedded SQLite <see cref="TaskStore"/>: WAL, batched writes, one writer per process, fenced leases.</summary>
/// <remarks>
/// <para>
/// Thread-safe; register it as a singleton. Every connection gets <c>PRAGMA busy_timeout</c> and
/// <c>PRAGMA synchronous</c> from <see cref="SqliteTaskStoreOptions"/>. The WAL is checkpointed in the background (at
/// most every 250 ms while the store writes), not inside the store's commits; SQLite's automatic checkpoint stays only
/// as a backstop at 10,000 pages. This process's writes are serialised in
/// memory, so they queue without busy-waiting; other processes on the same file wait in SQLite's busy handler.
/// Times are stored as Unix milliseconds, so they round-trip to the millisecond, in UTC.
/// </para>
/// <para>
/// Leases are judged by the <c>now</c> the runner passes (<see cref="LeaseStore.UsesStoreClock"/> is
/// <see langword="false"/>): every process on one file shares the machine's clock. Processes on one file reach each
/// other through <see cref="Notifier"/>, which polls a table.
/// </para>
/// </remarks>
public sealed class SqliteTaskStore : TaskStore, IDisposable, IAsyncDisposable
{
    private readonly ILogger<SqliteTaskStore> _logger;
    private readonly SqliteDatabase _database;
    private readonly SqliteBusNotifier _notifier;

    /// <summary>Creates the store. Call <see cref="InitializeAsync"/> before anything else.</summary>
    /// <param name="options">The options.</param>
    /// <param name="logger">The logger.</param>
    /// <param name="timeProvider">The clock the notifier and the background checkpoints wait on; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <exception cref="OptionsValidationException">The options are invalid.</exception>
    public SqliteTaskStore(IOptions<SqliteTaskStoreOptions> options, ILogger<SqliteTaskStore> logger, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        var value = options.Value;
        var validation = new SqliteTaskStoreOptionsValidator().Validate(Options.DefaultName, value);
        if (validation.Failed)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(SqliteTaskStoreOptions), validation.Failures);
        }

        _logger = logger;
        _database = new SqliteDatabase(value, timeProvider ?? TimeProvider.System, logger);
        Queue = new SqliteQueueStore(_database);
        Leases = new SqliteLeaseStore(_database);
        Configuration = new SqliteConfigurationStore(_database);
        Management = new SqliteManagementStore(_database);
        Retention = new SqliteRetentionStore(_database, logger);
        IdMap = new SqliteIdMapStore(_database);
        BlockedKeys = new SqliteBlockedKeyStore(_database);
        Resyncs = new SqliteResyncStore(_database, new SqliteTaskAppender(_database));
        _notifier = new SqliteBusNotifier(_database, timeProvider ?? TimeProvider.System, value.NotificationPollInterval);
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
    /// <value>A notifier that polls a table of the database every <see cref="SqliteTaskStoreOptions.NotificationPollInterval"/>.</value>
    public override BusNotifier Notifier => _notifier;

    /// <inheritdoc/>
    /// <remarks>
    /// Switches the file to WAL and creates schema version 2 when missing, or upgrades version 1 in place in one
    /// transaction (no task is lost); running it again changes nothing.
    /// </remarks>
    /// <exception cref="IntegrationBusException">The file has a newer schema than this version knows.</exception>
    public override async Task InitializeAsync(CancellationToken cancellationToken)
    {
        var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var (journalMode, previousVersion) = await SqliteSchema.EnsureAsync(connection, cancellationToken).ConfigureAwait(false);
            _database.DataSource = connection.DataSource;
            if (!string.Equals(journalMode, "wal", StringComparison.OrdinalIgnoreCase))
            {
                Log.WalUnavailable(_logger, connection.DataSource, journalMode);
            }

            switch (previousVersion)
            {
                case 0:
                    Log.SchemaCreated(_logger, SqliteSchema.CurrentVersion, connection.DataSource);
                    break;
                case SqliteSchema.CurrentVersion:
                    Log.SchemaCurrent(_logger, connection.DataSource, SqliteSchema.CurrentVersion);
                    break;
                default:
                    Log.SchemaUpgraded(_logger, connection.DataSource, previousVersion, SqliteSchema.CurrentVersion);
                    break;
            }
        }
    }

    /// <summary>Closes the store's connections and clears its connection pool; a background checkpoint in progress finishes on its own.</summary>
    public void Dispose() => _database.Dispose();

    /// <summary>Waits for a background checkpoint in progress, then closes the store's connections and clears its connection pool.</summary>
    /// <returns>A task that completes when disposed.</returns>
    public ValueTask DisposeAsync() => _database.DisposeAsync();

    /// <summary>Gets the background checkpointer; for tests.</summary>
    internal SqliteCheckpointer Checkpointer => _database.Checkpointer;

    /// <summary>Opens a connection configured like the store's own; for tests.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The open connection.</returns>
    internal Task<SqliteConnection> OpenConnectionAsync(CancellationToken cancellationToken) => _database.OpenAsync(cancellationToken);
}
