using Microsoft.Data.Sqlite;

namespace IntegrationBus.Sqlite;

/// <summary>One of the store's own write transactions, holding this process's write turn until disposed.</summary>
internal sealed class SqliteWriteScope : IAsyncDisposable
{
    private readonly SqliteDatabase _database;
    private List<KeyValuePair<string, long>>? _createdConnectors;

    /// <summary>Creates the scope; see <see cref="SqliteDatabase.BeginWriteAsync"/>.</summary>
    /// <param name="database">The database whose write turn is held.</param>
    /// <param name="connection">The open connection.</param>
    /// <param name="transaction">The immediate transaction.</param>
    public SqliteWriteScope(SqliteDatabase database, SqliteConnection connection, SqliteTransaction transaction)
    {
        _database = database;
        Connection = connection;
        Transaction = transaction;
    }

    /// <summary>Gets the connection.</summary>
    public SqliteConnection Connection { get; }

    /// <summary>Gets the transaction.</summary>
    public SqliteTransaction Transaction { get; }

    /// <summary>Gets the connectors created in this transaction, cached once it commits.</summary>
    public List<KeyValuePair<string, long>> CreatedConnectors => _createdConnectors ??= [];

    /// <summary>Creates a command in the transaction.</summary>
    /// <param name="sql">The SQL text.</param>
    /// <returns>The command; the caller disposes it.</returns>
    public SqliteCommand CreateCommand(string sql)
    {
        var command = Connection.CreateCommand();
        command.Transaction = Transaction;
        command.CommandText = sql;
        return command;
    }

    /// <summary>Commits the transaction.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when committed.</returns>
    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        await Transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        if (_createdConnectors is { Count: > 0 })
        {
            _database.CacheConnectorIds(_createdConnectors);
        }
    }

    /// <summary>Rolls back unless committed, closes the connection and releases the write turn.</summary>
    /// <returns>A task that completes when released.</returns>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await Transaction.DisposeAsync().ConfigureAwait(false);
            await Connection.DisposeAsync().ConfigureAwait(false);
        }
        finally
        {
            _database.ReleaseWrite();
        }
    }
}
