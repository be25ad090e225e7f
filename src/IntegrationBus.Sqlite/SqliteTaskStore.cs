using System.Data.Common;
using IntegrationBus.Model;
using IntegrationBus.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IntegrationBus.Sqlite;

/// <summary>The embedded SQLite <see cref="ITaskStore"/>: WAL, batched writes, one writer per process.</summary>
/// <remarks>
/// Thread-safe; register it as a singleton. Every connection gets <c>PRAGMA busy_timeout</c> and
/// <c>PRAGMA synchronous</c> from <see cref="SqliteTaskStoreOptions"/>. This process's writes are serialised in
/// memory, so they queue without busy-waiting; other processes on the same file wait in SQLite's busy handler.
/// Times are stored as Unix milliseconds, so they round-trip to the millisecond, in UTC.
/// </remarks>
public sealed class SqliteTaskStore : ITaskStore, IDisposable
{
    private readonly ILogger<SqliteTaskStore> _logger;
    private readonly SqliteDatabase _database;
    private readonly SqliteTaskAppender _appender;
    private readonly SqliteQueue _queue;
    private readonly SqliteConfiguration _configuration;
    private readonly SqliteManagement _management;

    /// <summary>Creates the store. Call <see cref="InitializeAsync"/> before anything else.</summary>
    /// <param name="options">The options.</param>
    /// <param name="logger">The logger.</param>
    /// <exception cref="OptionsValidationException">The options are invalid.</exception>
    public SqliteTaskStore(IOptions<SqliteTaskStoreOptions> options, ILogger<SqliteTaskStore> logger)
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
        _database = new SqliteDatabase(value);
        _appender = new SqliteTaskAppender(_database);
        _queue = new SqliteQueue(_database);
        _configuration = new SqliteConfiguration(_database);
        _management = new SqliteManagement(_database);
    }

    /// <inheritdoc/>
    /// <remarks>Switches the file to WAL and creates schema version 1 when missing; running it again changes nothing.</remarks>
    /// <exception cref="IntegrationBusException">The file has a newer schema than this version knows.</exception>
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var (journalMode, created) = await SqliteSchema.EnsureAsync(connection, cancellationToken).ConfigureAwait(false);
            _database.DataSource = connection.DataSource;
            if (!string.Equals(journalMode, "wal", StringComparison.OrdinalIgnoreCase))
            {
                Log.WalUnavailable(_logger, connection.DataSource, journalMode);
            }

            if (created)
            {
                Log.SchemaCreated(_logger, SqliteSchema.CurrentVersion, connection.DataSource);
            }
            else
            {
                Log.SchemaCurrent(_logger, connection.DataSource, SqliteSchema.CurrentVersion);
            }
        }
    }

    /// <inheritdoc/>
    /// <remarks>
    /// With <paramref name="transaction"/> it must be a <see cref="SqliteTransaction"/> on the store's database file;
    /// the rows are written on its connection (which already holds the write lock), so a rollback leaves no task.
    /// Connectors not known yet are created, enabled.
    /// </remarks>
    /// <exception cref="ArgumentException">A task is invalid, or the transaction is not on the store's database.</exception>
    public Task<IReadOnlyList<long>> AppendAsync(IReadOnlyList<NewIntegrationTask> tasks, DbTransaction? transaction, CancellationToken cancellationToken)
        => _appender.AppendAsync(tasks, transaction, cancellationToken);

    /// <inheritdoc />
    public IReadOnlyList<long> Append(IReadOnlyList<NewIntegrationTask> tasks, DbTransaction transaction)
        => _appender.Append(tasks, transaction);

    /// <inheritdoc />
    public Task<IReadOnlyList<IncomingAppendResult>> AppendIncomingAsync(IReadOnlyList<IncomingAppend> appends, CancellationToken cancellationToken)
        => _appender.AppendIncomingAsync(appends, cancellationToken);

    /// <inheritdoc/>
    public Task<IReadOnlyList<QueuedTask>> FetchAsync(string connector, TaskDirection direction, long afterTaskId, int limit, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connector);
        ArgumentOutOfRangeException.ThrowIfNegative(afterTaskId);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        return _queue.FetchAsync(connector, direction, afterTaskId, limit, cancellationToken);
    }

    /// <inheritdoc/>
    public Task RecordAsync(string connector, TaskDirection direction, IReadOnlyList<TaskOutcome> outcomes, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connector);
        ArgumentNullException.ThrowIfNull(outcomes);
        return outcomes.Count == 0 ? Task.CompletedTask : _queue.RecordAsync(connector, direction, outcomes, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<bool> TryAcquireLeaseAsync(string connector, TaskDirection direction, string owner, DateTimeOffset now, TimeSpan duration, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connector);
        ArgumentException.ThrowIfNullOrWhiteSpace(owner);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(duration, TimeSpan.Zero);
        return _queue.TryAcquireLeaseAsync(connector, direction, owner, now, duration, cancellationToken);
    }

    /// <inheritdoc/>
    public Task ReleaseLeaseAsync(string connector, TaskDirection direction, string owner, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connector);
        ArgumentException.ThrowIfNullOrWhiteSpace(owner);
        return _queue.ReleaseLeaseAsync(connector, direction, owner, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<ConnectorState>> RegisterConnectorsAsync(IReadOnlyList<ConnectorState> connectors, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connectors);
        foreach (var connector in connectors)
        {
            ArgumentNullException.ThrowIfNull(connector);
            ArgumentException.ThrowIfNullOrWhiteSpace(connector.Name);
            ArgumentNullException.ThrowIfNull(connector.DisplayName);
        }

        return _configuration.RegisterConnectorsAsync(connectors, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<ConnectorState>> GetConnectorsAsync(CancellationToken cancellationToken)
        => _configuration.GetConnectorsAsync(cancellationToken);

    /// <inheritdoc/>
    public Task<bool> SetConnectorEnabledAsync(string connector, bool enabled, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connector);
        return _configuration.SetConnectorEnabledAsync(connector, enabled, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<IReadOnlyDictionary<string, string>> GetSettingsAsync(CancellationToken cancellationToken)
        => _configuration.GetSettingsAsync(cancellationToken);

    /// <inheritdoc/>
    public Task SetSettingAsync(string key, string value, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        ArgumentNullException.ThrowIfNull(value);
        return _configuration.SetSettingAsync(key, value, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<QueueSummary>> GetQueuesAsync(CancellationToken cancellationToken)
        => _management.GetQueuesAsync(cancellationToken);

    /// <inheritdoc/>
    public Task<IReadOnlyList<TaskSummary>> ListAsync(TaskQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegative(query.AfterTaskId);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(query.Limit);
        return _management.ListAsync(query, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<long> CountAsync(TaskQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        return _management.CountAsync(query, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<AttemptRecord>> GetAttemptsAsync(long taskId, CancellationToken cancellationToken)
        => _management.GetAttemptsAsync(taskId, cancellationToken);

    /// <inheritdoc/>
    public Task<string?> GetPayloadAsync(long taskId, CancellationToken cancellationToken)
        => _management.GetPayloadAsync(taskId, cancellationToken);

    /// <inheritdoc/>
    public Task<int> RetryAsync(long taskId, string? connector, CancellationToken cancellationToken)
        => _management.RetryAsync(taskId, connector, cancellationToken);

    /// <inheritdoc/>
    public Task<int> DeleteAsync(long taskId, string? connector, CancellationToken cancellationToken)
        => _management.DeleteAsync(taskId, connector, cancellationToken);

    /// <inheritdoc/>
    /// <remarks>
    /// Deletes attempt-log entries attempted before <paramref name="olderThan"/>, failed synchronizations last run
    /// before it, and then every task (with its attempts) that no connector needs any more.
    /// </remarks>
    public async Task<int> PurgeAsync(DateTimeOffset olderThan, CancellationToken cancellationToken)
    {
        var count = await _management.PurgeAsync(olderThan, cancellationToken).ConfigureAwait(false);
        if (count > 0)
        {
            Log.Purged(_logger, count, olderThan);
        }

        return count;
    }

    /// <summary>Clears the store's connection pool.</summary>
    public void Dispose() => _database.Dispose();

    /// <summary>Opens a connection configured like the store's own; for tests.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The open connection.</returns>
    internal Task<SqliteConnection> OpenConnectionAsync(CancellationToken cancellationToken) => _database.OpenAsync(cancellationToken);
}
