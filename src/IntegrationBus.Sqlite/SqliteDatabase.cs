using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;

namespace IntegrationBus.Sqlite;

/// <summary>
/// The store's database: opens configured connections, serialises this process's writers on one kept connection,
/// keeps a few reader connections for fetching, and maps connector names to their integer IDs.
/// </summary>
internal sealed class SqliteDatabase : IDisposable, IAsyncDisposable
{
    /// <summary>How many idle reader sessions are kept; more concurrent fetches open more and close them after use.</summary>
    private const int MaxIdleReaders = 8;

    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly Stack<SqliteSession> _readers = new();
    private readonly ConcurrentDictionary<string, long> _connectorIds = new(StringComparer.Ordinal);
    private readonly string _connectionPragmas;

    // The native handles that already have the pragmas; a pooled connection keeps its handle, so the pragmas run once
    // per physical connection. Entries go away with the handles.
    private readonly ConditionalWeakTable<SQLitePCL.sqlite3, object> _configuredHandles = [];

    private readonly SqliteCheckpointer _checkpointer;

    // The writer's kept session: used and replaced only under the write lock.
    private SqliteSession? _writer;
    private volatile bool _disposed;

    /// <summary>Creates the database from validated options.</summary>
    /// <param name="options">The options.</param>
    /// <param name="timeProvider">The clock the background checkpoints wait on.</param>
    /// <param name="logger">The store's logger.</param>
    public SqliteDatabase(SqliteTaskStoreOptions options, TimeProvider timeProvider, Microsoft.Extensions.Logging.ILogger logger)
    {
        var builder = new SqliteConnectionStringBuilder(options.ConnectionString)
        {
            // Microsoft.Data.Sqlite retries a busy statement with 150 ms sleeps until the command timeout; with the
            // timeout equal to SQLite's own busy timeout those sleeps never start.
            DefaultTimeout = Math.Max(1, (int)Math.Ceiling(options.BusyTimeout.TotalSeconds)),
        };
        ConnectionString = builder.ToString();
        var busyMs = (long)Math.Ceiling(options.BusyTimeout.TotalMilliseconds);
        _connectionPragmas = string.Create(CultureInfo.InvariantCulture,
            $"PRAGMA busy_timeout={busyMs}; PRAGMA synchronous={options.Synchronous.ToString().ToUpperInvariant()}; PRAGMA wal_autocheckpoint={SqliteCheckpointer.BackstopPages};");
        _checkpointer = new SqliteCheckpointer(OpenAsync, timeProvider, logger);
    }

    /// <summary>Gets the connection string the store opens connections with.</summary>
    public string ConnectionString { get; }

    /// <summary>Gets or sets the full path of the database file, known after initialisation.</summary>
    public string? DataSource { get; set; }

    /// <summary>Opens a connection with the store's pragmas applied.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The open connection; the caller disposes it.</returns>
    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            if (!_configuredHandles.TryGetValue(connection.Handle!, out _))
            {
                using var command = connection.CreateCommand();
                command.CommandText = _connectionPragmas;
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                _configuredHandles.AddOrUpdate(connection.Handle!, _connectionPragmas);
            }

            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Waits for this process's write turn and begins an immediate transaction on the writer's connection.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The write scope; disposing it rolls back unless committed and releases the turn.</returns>
    public async Task<SqliteWriteScope> BeginWriteAsync(CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _writer ??= new SqliteSession(await OpenAsync(cancellationToken).ConfigureAwait(false));
            var transaction = _writer.Connection.BeginTransaction(deferred: false);
            return new SqliteWriteScope(this, _writer, transaction);
        }
        catch
        {
            _writeLock.Release();
            throw;
        }
    }

    /// <summary>Gives this process's write turn back; called by <see cref="SqliteWriteScope"/>.</summary>
    /// <param name="broken">Whether the writer's connection failed to roll back, so it is closed and the next write opens another.</param>
    public void ReleaseWrite(bool broken)
    {
        if (broken || _disposed)
        {
            _writer?.Dispose();
            _writer = null;
        }

        _writeLock.Release();
    }

    /// <summary>Takes an idle reader session, or opens one.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The session; give it back with <see cref="ReturnReader"/>.</returns>
    public async Task<SqliteSession> RentReaderAsync(CancellationToken cancellationToken)
    {
        lock (_readers)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_readers.TryPop(out var idle))
            {
                return idle;
            }
        }

        return new SqliteSession(await OpenAsync(cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Gives a reader session back for reuse.</summary>
    /// <param name="session">The session, with no reader open on it.</param>
    /// <param name="broken">Whether it failed, so it is closed instead.</param>
    public void ReturnReader(SqliteSession session, bool broken)
    {
        lock (_readers)
        {
            if (!broken && !_disposed && _readers.Count < MaxIdleReaders)
            {
                _readers.Push(session);
                return;
            }
        }

        session.Dispose();
    }

    /// <summary>Finds a connector's ID synchronously (Microsoft.Data.Sqlite runs its async calls synchronously anyway).</summary>
    /// <param name="connection">An open connection.</param>
    /// <param name="transaction">The connection's transaction, if any.</param>
    /// <param name="name">The connector's code name.</param>
    /// <param name="cacheable">Whether a row found is committed, so it may be cached.</param>
    /// <returns>The ID, or <see langword="null"/> when the connector is unknown.</returns>
    public long? FindConnectorId(SqliteConnection connection, SqliteTransaction? transaction, string name, bool cacheable)
    {
        if (_connectorIds.TryGetValue(name, out var cached))
        {
            return cached;
        }

        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT id FROM integration_connector WHERE name = @name;";
        command.Parameters.AddWithValue("@name", name);
        var id = command.ExecuteScalar();
        if (id is null)
        {
            return null;
        }

        var value = (long)id;
        if (cacheable)
        {
            _connectorIds.TryAdd(name, value);
        }

        return value;
    }

    /// <summary>Finds a connector's ID synchronously, creating the connector (enabled) when it is unknown.</summary>
    /// <param name="connection">An open connection.</param>
    /// <param name="transaction">The write transaction.</param>
    /// <param name="name">The connector's code name.</param>
    /// <param name="ownTransaction">Whether the transaction is the store's own.</param>
    /// <param name="created">Receives names created in this transaction, to cache once it commits.</param>
    /// <returns>The ID.</returns>
    public long GetOrCreateConnectorId(SqliteConnection connection, SqliteTransaction transaction, string name, bool ownTransaction, List<KeyValuePair<string, long>>? created)
    {
        if (FindConnectorId(connection, transaction, name, ownTransaction) is { } id)
        {
            return id;
        }

        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "INSERT INTO integration_connector (name, display_name, enabled) VALUES (@name, @name, 1) RETURNING id;";
        command.Parameters.AddWithValue("@name", name);
        var newId = (long)command.ExecuteScalar()!;
        created?.Add(new(name, newId));
        return newId;
    }

    /// <summary>Gets the background checkpointer; <see cref="SqliteWriteScope"/> tells it of each commit.</summary>
    public SqliteCheckpointer Checkpointer => _checkpointer;

    /// <summary>
    /// Hands the checkpoints of an application's connection that appends tasks in its own transaction to the background
    /// checkpointer: its automatic checkpoint is raised to the store's backstop (once per physical connection, only from
    /// a limit between 1 and the backstop: an automatic checkpoint switched off or set higher is left as it is), and the
    /// checkpointer is woken.
    /// </summary>
    /// <param name="connection">The application's open connection to the store's file.</param>
    /// <param name="transaction">Its transaction, in which the tasks are being appended.</param>
    /// <remarks>
    /// The tasks make the application's commits write several times the pages they would without the bus, so SQLite's
    /// automatic checkpoint (1,000 pages by default) ran that many times more often inside those commits, on a disk two
    /// syncs of a few milliseconds each. The checkpointer is woken before the application commits: it checkpoints what
    /// is committed by then, and the frames of this transaction at the next wake-up.
    /// </remarks>
    public void AdoptCheckpoints(SqliteConnection connection, SqliteTransaction transaction)
    {
        var handle = connection.Handle!;
        if (!_configuredHandles.TryGetValue(handle, out _))
        {
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "PRAGMA wal_autocheckpoint;";
            var limit = (long)command.ExecuteScalar()!;
            if (limit is > 0 and < SqliteCheckpointer.BackstopPages)
            {
                command.CommandText = string.Create(CultureInfo.InvariantCulture, $"PRAGMA wal_autocheckpoint={SqliteCheckpointer.BackstopPages};");
                command.ExecuteNonQuery();
            }

            _configuredHandles.AddOrUpdate(handle, nameof(AdoptCheckpoints));
        }

        _checkpointer.Committed();
    }

    /// <summary>Caches connector IDs whose rows were committed.</summary>
    /// <param name="committed">The names and IDs.</param>
    public void CacheConnectorIds(IEnumerable<KeyValuePair<string, long>> committed)
    {
        foreach (var pair in committed)
        {
            _connectorIds.TryAdd(pair.Key, pair.Value);
        }
    }

    /// <summary>Stops the background checkpoints and waits for the one in progress, then disposes as <see cref="Dispose"/> does.</summary>
    /// <returns>A task that completes when disposed.</returns>
    public async ValueTask DisposeAsync()
    {
        await _checkpointer.DisposeAsync().ConfigureAwait(false);
        Dispose();
    }

    /// <summary>
    /// Closes the kept connections (the writer's once its current write ends) and clears this database's connection
    /// pool; the background checkpoints stop after the one in progress, if any.
    /// </summary>
    public void Dispose()
    {
        _checkpointer.Dispose();
        lock (_readers)
        {
            _disposed = true;
            while (_readers.TryPop(out var reader))
            {
                reader.Dispose();
            }
        }

        if (_writeLock.Wait(0))
        {
            _writer?.Dispose();
            _writer = null;
            _writeLock.Release();
        }

        using (var connection = new SqliteConnection(ConnectionString))
        {
            SqliteConnection.ClearPool(connection);
        }
    }
}
