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
    private const byte Unknown = 0;
    private const byte Null = 1;
    private const byte Int = 2;
    private const byte String = 3;

    // Longer texts are bound every time and not kept.
    private const int MaxKeptText = 256;

    private readonly SqliteConnection _connection;
    private readonly sqlite3_stmt _statement;

    // What each parameter holds now: SQLite keeps bound values across executions, so a value equal to the one bound
    // before (the direction, the data type, the object type of every row in a batch) is not bound again; each bind is
    // a P/Invoke with a safe-handle reference count, and a text is transcoded to UTF-8 on every call.
    private readonly byte[] _kinds;
    private readonly long[] _integers;
    private readonly string?[] _texts;

    private SqliteInsertStatement(SqliteConnection connection, sqlite3_stmt statement)
    {
        _connection = connection;
        _statement = statement;
        var count = raw.sqlite3_bind_parameter_count(statement) + 1;
        _kinds = new byte[count];
        _integers = new long[count];
        _texts = new string?[count];
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
    public void Text(int index, string? value)
    {
        if (value is null)
        {
            BindNull(index);
        }
        else if (value.Length > MaxKeptText)
        {
            // A payload: it differs from row to row, and keeping it would hold the last batch's payloads in memory.
            _kinds[index] = Unknown;
            _texts[index] = null;
            Check(raw.sqlite3_bind_text(_statement, index, value));
        }
        else if (_kinds[index] != String || !string.Equals(_texts[index], value, StringComparison.Ordinal))
        {
            _kinds[index] = Unknown;
            Check(raw.sqlite3_bind_text(_statement, index, value));
            _texts[index] = value;
            _kinds[index] = String;
        }
    }

    /// <summary>Binds an integer.</summary>
    /// <param name="index">The 1-based parameter position.</param>
    /// <param name="value">The value.</param>
    public void Integer(int index, long value)
    {
        if (_kinds[index] != Int || _integers[index] != value)
        {
            _kinds[index] = Unknown;
            Check(raw.sqlite3_bind_int64(_statement, index, value));
            _integers[index] = value;
            _kinds[index] = Int;
        }
    }

    /// <summary>Binds an integer, or SQL NULL for <see langword="null"/>.</summary>
    /// <param name="index">The 1-based parameter position.</param>
    /// <param name="value">The value.</param>
    public void Integer(int index, long? value)
    {
        if (value is { } v)
        {
            Integer(index, v);
        }
        else
        {
            BindNull(index);
        }
    }

    /// <summary>Binds a GUID as its 16 bytes (<see cref="Guid.ToByteArray()"/>), as <see cref="SqliteValues.ToBlob"/> stores it, or SQL NULL.</summary>
    /// <param name="index">The 1-based parameter position.</param>
    /// <param name="value">The value.</param>
    public void Blob(int index, Guid? value)
    {
        if (value is not { } guid)
        {
            BindNull(index);
            return;
        }

        Span<byte> bytes = stackalloc byte[16];
        var written = guid.TryWriteBytes(bytes);
        Debug.Assert(written, "A GUID is 16 bytes.");
        _kinds[index] = Unknown; // GUIDs differ from row to row: not compared
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

    private void BindNull(int index)
    {
        if (_kinds[index] != Null)
        {
            _kinds[index] = Unknown;
            Check(raw.sqlite3_bind_null(_statement, index));
            _kinds[index] = Null;
        }
    }

    private void Check(int rc)
    {
        if (rc != raw.SQLITE_OK)
        {
            SqliteException.ThrowExceptionForRC(rc, _connection.Handle!);
        }
    }
}
