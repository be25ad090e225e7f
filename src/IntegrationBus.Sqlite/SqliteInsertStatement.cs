using System.Diagnostics;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace IntegrationBus.Sqlite;

/// <summary>
/// A prepared insert on a Microsoft.Data.Sqlite connection whose parameters are bound by position, for the task and
/// synchronization rows appended for every task.
/// </summary>
/// <remarks>
/// Microsoft.Data.Sqlite looks every parameter up by name and builds a data reader on every execution; for the two inserts
/// of each task (16 and 4 values) that was about 40 % of what appending costs in an application's <c>SaveChanges</c>. This
/// binds by index on the same connection and in its transaction (SQLite statements run in the connection's open
/// transaction). It does not wait out a busy database as Microsoft.Data.Sqlite's commands do: callers run it only in a
/// transaction that already holds the write lock. One caller at a time, as the connection.
/// </remarks>
internal sealed class SqliteInsertStatement : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly sqlite3_stmt _statement;

    private SqliteInsertStatement(SqliteConnection connection, sqlite3_stmt statement)
    {
        _connection = connection;
        _statement = statement;
    }

    /// <summary>Prepares a statement of one SQL command with positional parameters (<c>?1</c>, <c>?2</c>, …) on an open connection.</summary>
    /// <param name="connection">The open connection.</param>
    /// <param name="sql">The SQL text.</param>
    /// <returns>The statement; the caller disposes it before the connection closes.</returns>
    public static SqliteInsertStatement Prepare(SqliteConnection connection, string sql)
    {
        var handle = connection.Handle ?? throw new InvalidOperationException("The SQLite connection is not open.");
        var rc = raw.sqlite3_prepare_v2(handle, sql, out var statement);
        if (rc != raw.SQLITE_OK)
        {
            statement.Dispose();
            SqliteException.ThrowExceptionForRC(rc, handle);
        }

        return new SqliteInsertStatement(connection, statement);
    }

    /// <summary>Binds a text, or SQL NULL for <see langword="null"/>.</summary>
    /// <param name="index">The 1-based parameter position.</param>
    /// <param name="value">The value.</param>
    public void Text(int index, string? value) => Check(value is null ? raw.sqlite3_bind_null(_statement, index) : raw.sqlite3_bind_text(_statement, index, value));

    /// <summary>Binds an integer.</summary>
    /// <param name="index">The 1-based parameter position.</param>
    /// <param name="value">The value.</param>
    public void Integer(int index, long value) => Check(raw.sqlite3_bind_int64(_statement, index, value));

    /// <summary>Binds an integer, or SQL NULL for <see langword="null"/>.</summary>
    /// <param name="index">The 1-based parameter position.</param>
    /// <param name="value">The value.</param>
    public void Integer(int index, long? value) => Check(value is { } v ? raw.sqlite3_bind_int64(_statement, index, v) : raw.sqlite3_bind_null(_statement, index));

    /// <summary>Binds a GUID as its 16 bytes (<see cref="Guid.ToByteArray()"/>), as <see cref="SqliteValues.ToBlob"/> stores it, or SQL NULL.</summary>
    /// <param name="index">The 1-based parameter position.</param>
    /// <param name="value">The value.</param>
    public void Blob(int index, Guid? value)
    {
        if (value is not { } guid)
        {
            Check(raw.sqlite3_bind_null(_statement, index));
            return;
        }

        Span<byte> bytes = stackalloc byte[16];
        var written = guid.TryWriteBytes(bytes);
        Debug.Assert(written, "A GUID is 16 bytes.");
        Check(raw.sqlite3_bind_blob(_statement, index, bytes));
    }

    /// <summary>Runs the statement with the values bound, then resets it for the next row (the bound values stay until rebound).</summary>
    /// <exception cref="SqliteException">SQLite refused the row (a constraint, a full disk, a busy database).</exception>
    public void Execute()
    {
        var rc = raw.sqlite3_step(_statement);
        if (rc is raw.SQLITE_DONE or raw.SQLITE_ROW)
        {
            raw.sqlite3_reset(_statement);
            return;
        }

        try
        {
            // Before the reset: the connection still holds this error's message.
            SqliteException.ThrowExceptionForRC(rc, _connection.Handle!);
        }
        finally
        {
            raw.sqlite3_reset(_statement);
        }
    }

    /// <summary>Finalizes the statement.</summary>
    public void Dispose() => _statement.Dispose();

    private void Check(int rc)
    {
        if (rc != raw.SQLITE_OK)
        {
            SqliteException.ThrowExceptionForRC(rc, _connection.Handle!);
        }
    }
}
