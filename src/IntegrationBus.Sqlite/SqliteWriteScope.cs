using Microsoft.Data.Sqlite;

namespace IntegrationBus.Sqlite;

/// <summary>One of the store's own write transactions on the writer's kept connection, holding this process's write turn until disposed.</summary>
internal sealed class SqliteWriteScope : IAsyncDisposable
{
    private readonly SqliteDatabase _database;
    private readonly SqliteSession _session;
    private List<KeyValuePair<string, long>>? _createdConnectors;

    /// <summary>Creates the scope; see <see cref="SqliteDatabase.BeginWriteAsync"/>.</summary>
    /// <param name="database">The database whose write turn is held.</param>
    /// <param name="session">The writer's session.</param>
    /// <param name="transaction">The immediate transaction.</param>
    public SqliteWriteScope(SqliteDatabase database, SqliteSession session, SqliteTransaction transaction)
    {
        _database = database;
        _session = session;
        Transaction = transaction;
    }

    /// <summary>Gets the connection.</summary>
    public SqliteConnection Connection => _session.Connection;

    /// <summary>Gets the transaction.</summary>
    public SqliteTransaction Transaction { get; }

    /// <summary>Gets or sets the next free task ID once a write in this transaction has read it (the write lock is held, so no one else takes it).</summary>
    public long? NextTaskId { get; set; }

    /// <summary>Gets the connectors created in this transaction, cached once it commits.</summary>
    public List<KeyValuePair<string, long>> CreatedConnectors => _createdConnectors ??= [];

    /// <summary>Creates a command in the transaction, for statements that do not run often.</summary>
    /// <param name="sql">The SQL text.</param>
    /// <returns>The command; the caller disposes it.</returns>
    public SqliteCommand CreateCommand(string sql)
    {
        var command = Connection.CreateCommand();
        command.Transaction = Transaction;
        command.CommandText = sql;
        return command;
    }

    /// <summary>Gets the writer's prepared command for a constant SQL text, in the transaction; see <see cref="SqliteSession.Prepared"/>.</summary>
    /// <param name="sql">The constant SQL text.</param>
    /// <param name="parameters">The parameters, declared on first use.</param>
    /// <returns>The command, owned by the writer's session (do not dispose it).</returns>
    public SqliteCommand Prepared(string sql, params ReadOnlySpan<(string Name, SqliteType Type)> parameters)
        => _session.Prepared(sql, Transaction, parameters);

    /// <summary>Gets the writer's positional insert statement for a constant SQL text; see <see cref="SqliteSession.Insert"/>.</summary>
    /// <param name="sql">The constant SQL text.</param>
    /// <returns>The statement, owned by the writer's session (do not dispose it); it runs in this transaction.</returns>
    public SqliteInsertStatement Insert(string sql) => _session.Insert(sql);

    /// <summary>Commits the transaction.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when committed.</returns>
    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        await Transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        _database.Checkpointer.Committed();
        if (_createdConnectors is { Count: > 0 })
        {
            _database.CacheConnectorIds(_createdConnectors);
        }
    }

    /// <summary>Rolls back unless committed and releases the write turn; a connection that cannot roll back is closed.</summary>
    /// <returns>A task that completes when released.</returns>
    public async ValueTask DisposeAsync()
    {
        var broken = false;
        try
        {
            await Transaction.DisposeAsync().ConfigureAwait(false);
        }
        catch (SqliteException)
        {
            // The rollback failed (the connection is in a bad state); closing the connection rolls back instead. Not
            // rethrown, so that the exception that ended the write is the one the caller sees.
            broken = true;
        }
        finally
        {
            _database.ReleaseWrite(broken);
        }
    }
}
