using Microsoft.Data.Sqlite;

namespace IntegrationBus.Sqlite;

/// <summary>A connection the store keeps open, with the commands it prepared on it, for the paths that run all the time.</summary>
/// <remarks>
/// Preparing a statement costs tens of microseconds, about as much as reading or deleting a few tasks, and
/// Microsoft.Data.Sqlite prepares again for every new command even on a pooled connection. The writer (one per
/// process, under the write lock) and the fetching readers therefore keep their connections and prepared commands.
/// A session is used by one caller at a time; idle, it holds no transaction and no lock.
/// </remarks>
internal sealed class SqliteSession : IDisposable
{
    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SqliteInsertStatement> _inserts = new(StringComparer.Ordinal);

    /// <summary>Creates a session on an open, configured connection.</summary>
    /// <param name="connection">The connection; the session disposes it.</param>
    public SqliteSession(SqliteConnection connection) => Connection = connection;

    /// <summary>Gets the open connection.</summary>
    public SqliteConnection Connection { get; }

    /// <summary>Gets the command for a constant SQL text, prepared the first time with its parameters declared.</summary>
    /// <param name="sql">The SQL text: a constant, never text built at run time (each text is kept).</param>
    /// <param name="transaction">The transaction the command runs in, or <see langword="null"/>.</param>
    /// <param name="parameters">The parameters' names and types, declared on first use; set their values before each run.</param>
    /// <returns>The command, owned by the session.</returns>
    public SqliteCommand Prepared(string sql, SqliteTransaction? transaction, params ReadOnlySpan<(string Name, SqliteType Type)> parameters)
    {
        if (!_commands.TryGetValue(sql, out var command))
        {
            command = Connection.CreateCommand();
            command.CommandText = sql;
            foreach (var (name, type) in parameters)
            {
                command.Parameters.Add(name, type);
            }

            command.Transaction = transaction;
            command.Prepare();
            _commands.Add(sql, command);
        }

        command.Transaction = transaction;
        return command;
    }

    /// <summary>Gets the positional insert statement for a constant SQL text, prepared the first time; see <see cref="SqliteInsertStatement"/>.</summary>
    /// <param name="sql">The SQL text: a constant, never text built at run time (each text is kept).</param>
    /// <returns>The statement, owned by the session; it runs in the connection's open transaction.</returns>
    public SqliteInsertStatement Insert(string sql)
    {
        if (!_inserts.TryGetValue(sql, out var statement))
        {
            statement = SqliteInsertStatement.Prepare(Connection, sql);
            _inserts.Add(sql, statement);
        }

        return statement;
    }

    /// <summary>Disposes the prepared commands and statements and closes the connection.</summary>
    public void Dispose()
    {
        foreach (var statement in _inserts.Values)
        {
            statement.Dispose();
        }

        _inserts.Clear();
        foreach (var command in _commands.Values)
        {
            command.Dispose();
        }

        _commands.Clear();
        Connection.Dispose();
    }
}
