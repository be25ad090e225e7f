using System.Collections.Concurrent;
using System.Text;
using Npgsql;

namespace IntegrationBus.PostgreSql;

/// <summary>
/// The store's database: the data source connections come from, the schema-qualified SQL texts, the connector IDs and
/// the keys of the store's advisory locks.
/// </summary>
/// <remarks>
/// <para>
/// SQL texts are written against the placeholder schema <c>ibus.</c>; <see cref="Sql"/> replaces it with the quoted
/// configured schema once per text. The schema name is validated as a plain lower-case identifier, so quoting it is
/// safe; every value is a parameter.
/// </para>
/// <para>
/// <see cref="FrozenClock"/> replaces the database clock wherever lease time is judged (<c>COALESCE(@clock, now())</c>).
/// It is <see langword="null"/> in production; the contract tests freeze it and move it to make leases expire without waiting.
/// </para>
/// </remarks>
internal sealed class PostgreSqlDatabase : IAsyncDisposable, IDisposable
{
    private const string Placeholder = "ibus.";
    private readonly ConcurrentDictionary<string, string> _texts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _connectorIds = new(StringComparer.OrdinalIgnoreCase);
    private readonly bool _ownsDataSource;
    private readonly string _qualifier;

    /// <summary>Creates the database.</summary>
    /// <param name="dataSource">The data source.</param>
    /// <param name="ownsDataSource">Whether the store created it, so disposes it.</param>
    /// <param name="options">The validated options.</param>
    public PostgreSqlDatabase(NpgsqlDataSource dataSource, bool ownsDataSource, PostgreSqlTaskStoreOptions options)
    {
        DataSource = dataSource;
        _ownsDataSource = ownsDataSource;
        Schema = options.Schema;
        Channel = options.NotificationChannel ?? options.Schema;
        CommandTimeoutSeconds = (int)Math.Ceiling(options.CommandTimeout.TotalSeconds);
        _qualifier = $"\"{Schema}\".";
        MigrationLockKey = LockKey("migrate");
        LeaseLockKey = LockKey("leases");
    }

    /// <summary>Gets the data source.</summary>
    public NpgsqlDataSource DataSource { get; }

    /// <summary>Gets the schema name.</summary>
    public string Schema { get; }

    /// <summary>Gets the schema name quoted as an identifier.</summary>
    public string QuotedSchema => $"\"{Schema}\"";

    /// <summary>Gets the notification channel.</summary>
    public string Channel { get; }

    /// <summary>Gets the command timeout in seconds.</summary>
    public int CommandTimeoutSeconds { get; }

    /// <summary>Gets the key of the transaction-level advisory lock under which the schema is created or migrated.</summary>
    public long MigrationLockKey { get; }

    /// <summary>Gets the key of the transaction-level advisory lock under which lease grants and renewals are decided.</summary>
    public long LeaseLockKey { get; }

    /// <summary>Gets or sets the name of the database (<c>current_database()</c>), known after initialisation.</summary>
    public string? DatabaseName { get; set; }

    /// <summary>Gets or sets the time leases are judged by instead of the database clock's <c>now()</c>; <see langword="null"/> (the database clock) except in tests.</summary>
    public DateTimeOffset? FrozenClock { get; set; }

    /// <summary>Gets a SQL text with the placeholder schema replaced by the configured one.</summary>
    /// <param name="template">A constant SQL text whose tables are written <c>ibus.table</c>.</param>
    /// <returns>The text for this schema.</returns>
    public string Sql(string template) => _texts.GetOrAdd(template, static (text, qualifier) => text.Replace(Placeholder, qualifier, StringComparison.Ordinal), _qualifier);

    /// <summary>Opens a connection of the store's own, outside any ambient System.Transactions transaction.</summary>
    /// <remarks>
    /// The store's transactions are its own: a connection opened inside the application's <c>TransactionScope</c> would
    /// enlist in it (Npgsql's default), and the store's own <c>BeginTransaction</c> on it would then fail. Appends that
    /// join an ambient transaction use the application's connection (<see cref="IntegrationBus.Storage.QueueStore.AppendEnlistedAsync"/>).
    /// </remarks>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The open connection; the caller disposes it.</returns>
    public ValueTask<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        return System.Transactions.Transaction.Current is null ? DataSource.OpenConnectionAsync(cancellationToken) : OpenOutsideAmbientAsync(cancellationToken);

        async ValueTask<NpgsqlConnection> OpenOutsideAmbientAsync(CancellationToken cancellationToken)
        {
            using var suppressed = new System.Transactions.TransactionScope(System.Transactions.TransactionScopeOption.Suppress, System.Transactions.TransactionScopeAsyncFlowOption.Enabled);
            return await DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Creates a command in a connection (and transaction) with the store's timeout.</summary>
    /// <param name="connection">The connection.</param>
    /// <param name="transaction">The transaction, or <see langword="null"/>.</param>
    /// <param name="template">The SQL template.</param>
    /// <returns>The command; the caller disposes it.</returns>
    public NpgsqlCommand Command(NpgsqlConnection connection, NpgsqlTransaction? transaction, string template)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandTimeout = CommandTimeoutSeconds;
        SetText(command, Sql(template));
        return command;
    }

    /// <summary>Creates a batch in a connection and transaction with the store's timeout.</summary>
    /// <param name="connection">The connection.</param>
    /// <param name="transaction">The transaction, or <see langword="null"/>.</param>
    /// <returns>The batch; the caller adds commands and disposes it.</returns>
    public NpgsqlBatch Batch(NpgsqlConnection connection, NpgsqlTransaction? transaction) => new(connection, transaction) { Timeout = CommandTimeoutSeconds };

    /// <summary>Adds a statement to a batch.</summary>
    /// <param name="batch">The batch.</param>
    /// <param name="template">The SQL template.</param>
    /// <returns>The batch command, to add parameters to.</returns>
    public NpgsqlBatchCommand Add(NpgsqlBatch batch, string template)
    {
        var command = new NpgsqlBatchCommand(Sql(template));
        batch.BatchCommands.Add(command);
        return command;
    }

    /// <summary>Finds a cached connector ID.</summary>
    /// <param name="name">The connector's code name.</param>
    /// <param name="id">The ID.</param>
    /// <returns>Whether it is cached.</returns>
    public bool TryGetCachedConnectorId(string name, out long id) => _connectorIds.TryGetValue(name, out id);

    /// <summary>Caches connector IDs whose rows are committed.</summary>
    /// <param name="committed">The names and IDs.</param>
    public void CacheConnectorIds(IEnumerable<KeyValuePair<string, long>> committed)
    {
        foreach (var pair in committed)
        {
            _connectorIds.TryAdd(pair.Key, pair.Value);
        }
    }

    /// <summary>Disposes the data source when the store created it.</summary>
    /// <returns>A task that completes when disposed.</returns>
    public async ValueTask DisposeAsync()
    {
        if (_ownsDataSource)
        {
            await DataSource.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Disposes the data source when the store created it.</summary>
    public void Dispose()
    {
        if (_ownsDataSource)
        {
            DataSource.Dispose();
        }
    }

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA2100:Review SQL queries for security vulnerabilities",
        Justification = "Constant texts with the validated schema identifier; every value is a parameter.")]
    private static void SetText(NpgsqlCommand command, string sql) => command.CommandText = sql;

    /// <summary>A stable 64-bit key for an advisory lock of this schema (FNV-1a over the schema and purpose).</summary>
    private long LockKey(string purpose)
    {
        var hash = 14695981039346656037UL;
        foreach (var b in Encoding.UTF8.GetBytes($"IntegrationBus:{Schema}:{purpose}"))
        {
            hash = (hash ^ b) * 1099511628211UL;
        }

        return unchecked((long)hash);
    }
}
