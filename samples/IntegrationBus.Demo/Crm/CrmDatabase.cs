using System.Text.Json;
using IntegrationBus.Demo.Scenario;
using Microsoft.Data.Sqlite;

namespace IntegrationBus.Demo.Crm;

/// <summary>The CRM's own SQLite database (segment IDs start at 101, so they never look like the content app's role IDs). Every write is deduplicated by its idempotency key and recorded as a delivery.</summary>
public sealed class CrmDatabase : IDisposable
{
    private readonly string _connectionString;
    private readonly SemaphoreSlim _gate = new(1, 1);

    public CrmDatabase(string path)
    {
        _connectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString();
        using var connection = Open();
        Execute(connection, null, """
            PRAGMA journal_mode = WAL;
            CREATE TABLE IF NOT EXISTS segment (id INTEGER PRIMARY KEY AUTOINCREMENT, code TEXT NOT NULL UNIQUE);
            INSERT INTO sqlite_sequence (name, seq) SELECT 'segment', 100 WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'segment');
            CREATE TABLE IF NOT EXISTS contact (id INTEGER PRIMARY KEY, guid TEXT NOT NULL UNIQUE, email TEXT NOT NULL, full_name TEXT NOT NULL,
                segment_id INTEGER NULL REFERENCES segment (id), version INTEGER NOT NULL, crm_version INTEGER NOT NULL DEFAULT 0);
            CREATE TABLE IF NOT EXISTS poll (id INTEGER PRIMARY KEY, guid TEXT NOT NULL UNIQUE, name TEXT NOT NULL, question TEXT NOT NULL,
                version INTEGER NOT NULL, answers TEXT NOT NULL, segment_ids TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS delivery (seq INTEGER PRIMARY KEY AUTOINCREMENT, key TEXT NOT NULL UNIQUE, connector TEXT NOT NULL,
                object_key TEXT NOT NULL, sequence INTEGER NOT NULL);
            """);
    }

    public async Task<long> EnsureSegmentAsync(string code, CancellationToken cancellationToken) =>
        await WithConnectionAsync(async connection =>
        {
            await ExecuteAsync(connection, null, "INSERT INTO segment (code) VALUES ($code) ON CONFLICT (code) DO NOTHING", cancellationToken, ("$code", code));
            return (long)(await ScalarAsync(connection, "SELECT id FROM segment WHERE code = $code", ("$code", code), cancellationToken))!;
        }, cancellationToken);

    public async Task<string?> FindSegmentCodeAsync(long id, CancellationToken cancellationToken) =>
        await WithConnectionAsync(async connection => (string?)await ScalarAsync(connection, "SELECT code FROM segment WHERE id = $id", ("$id", id), cancellationToken), cancellationToken);

    /// <summary>Applies a change unless its key was seen before; false for a repeat.</summary>
    public Task<bool> ApplyOnceAsync(string key, string connector, string objectKey, long sequence, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters) =>
        WithConnectionAsync(async connection =>
        {
            using var transaction = connection.BeginTransaction();
            if (await ScalarAsync(connection, "SELECT 1 FROM delivery WHERE key = $key", ("$key", key), transaction, cancellationToken) is not null)
            {
                return false;
            }

            await ExecuteAsync(connection, transaction, sql, cancellationToken, parameters);
            await ExecuteAsync(connection, transaction, "INSERT INTO delivery (key, connector, object_key, sequence) VALUES ($key, $connector, $object, $sequence)",
                cancellationToken, ("$key", key), ("$connector", connector), ("$object", objectKey), ("$sequence", sequence));
            await transaction.CommitAsync(cancellationToken);
            return true;
        }, cancellationToken);

    public Task<int> BumpCrmVersionAsync(Guid contact, string fullName, CancellationToken cancellationToken) =>
        WithConnectionAsync(async connection =>
        {
            await ExecuteAsync(connection, null, "UPDATE contact SET crm_version = crm_version + 1, full_name = $name WHERE guid = $guid", cancellationToken, ("$guid", contact.ToString("N")), ("$name", fullName));
            return Convert.ToInt32(await ScalarAsync(connection, "SELECT crm_version FROM contact WHERE guid = $guid", ("$guid", contact.ToString("N")), cancellationToken) ?? -1, System.Globalization.CultureInfo.InvariantCulture);
        }, cancellationToken);

    public Task<JsonElement?> GetContactAsync(Guid contact, CancellationToken cancellationToken) =>
        WithConnectionAsync(async connection =>
        {
            using var command = Command(connection, null, "SELECT email, full_name, segment_id, crm_version FROM contact WHERE guid = $guid", ("$guid", contact.ToString("N")));
            using var reader = await command.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken))
            {
                return (JsonElement?)null;
            }

            return JsonSerializer.SerializeToElement(new
            {
                guid = contact,
                email = reader.GetString(0),
                fullName = reader.GetString(1),
                segmentId = reader.IsDBNull(2) ? (long?)null : reader.GetInt64(2),
                crmVersion = reader.GetInt32(3),
            });
        }, cancellationToken);

    public Task<List<Delivery>> GetDeliveriesAsync(string connector, CancellationToken cancellationToken) =>
        WithConnectionAsync(async connection =>
        {
            using var command = Command(connection, null, "SELECT key, object_key, sequence FROM delivery WHERE connector = $connector ORDER BY seq", ("$connector", connector));
            using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var list = new List<Delivery>();
            while (await reader.ReadAsync(cancellationToken))
            {
                list.Add(new Delivery(reader.GetString(0), reader.GetString(1), reader.GetInt64(2)));
            }

            return list;
        }, cancellationToken);

    public void Dispose() => _gate.Dispose();

    private async Task<T> WithConnectionAsync<T>(Func<SqliteConnection, Task<T>> action, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await using var connection = Open();
            return await action(connection);
        }
        finally
        {
            _gate.Release();
        }
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        return connection;
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }

    private static void Execute(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        using var command = Command(connection, transaction, sql);
        command.ExecuteNonQuery();
    }

    private static async Task ExecuteAsync(SqliteConnection connection, SqliteTransaction? transaction, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(connection, transaction, sql, parameters);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<object?> ScalarAsync(SqliteConnection connection, string sql, (string Name, object? Value) parameter, CancellationToken cancellationToken)
        => await ScalarAsync(connection, sql, parameter, null, cancellationToken);

    private static async Task<object?> ScalarAsync(SqliteConnection connection, string sql, (string Name, object? Value) parameter, SqliteTransaction? transaction, CancellationToken cancellationToken)
    {
        using var command = Command(connection, transaction, sql, parameter);
        var value = await command.ExecuteScalarAsync(cancellationToken);
        return value is DBNull ? null : value;
    }
}
