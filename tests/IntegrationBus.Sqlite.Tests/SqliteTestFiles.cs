using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace IntegrationBus.Sqlite.Tests;

/// <summary>Temp database files and the stores opened on them for one test; deletes them all when disposed.</summary>
internal sealed class SqliteTestFiles : IDisposable
{
    private readonly List<string> _files = [];
    private readonly List<SqliteTaskStore> _stores = [];

    /// <summary>The connection string of a file, as the tests open it themselves.</summary>
    public static string ConnectionStringFor(string path) => new SqliteConnectionStringBuilder { DataSource = path }.ToString();

    /// <summary>A new temp file path, deleted with its WAL and shared-memory files at the end.</summary>
    public string NewPath()
    {
        var path = Path.Combine(Path.GetTempPath(), $"integrationbus-{Guid.NewGuid():N}.db");
        _files.Add(path);
        return path;
    }

    /// <summary>A store on a file (not initialised), disposed at the end.</summary>
    public SqliteTaskStore NewStore(string path, TimeProvider? timeProvider = null, Action<SqliteTaskStoreOptions>? configure = null)
    {
        var options = new SqliteTaskStoreOptions { ConnectionString = ConnectionStringFor(path) };
        configure?.Invoke(options);
        var store = new SqliteTaskStore(Options.Create(options), NullLogger<SqliteTaskStore>.Instance, timeProvider);
        _stores.Add(store);
        return store;
    }

    /// <summary>Runs SQL on its own connection and returns the first column of the first row.</summary>
    public static async Task<T> ScalarAsync<T>(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return (T)(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
    }

    /// <summary>Runs SQL on a new connection to a file.</summary>
    public static async Task ExecuteAsync(string path, string sql)
    {
        await using var connection = new SqliteConnection(ConnectionStringFor(path));
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }

    public void Dispose()
    {
        foreach (var store in _stores)
        {
            store.Dispose();
        }

        foreach (var file in _files)
        {
            using (var connection = new SqliteConnection(ConnectionStringFor(file)))
            {
                SqliteConnection.ClearPool(connection);
            }

            foreach (var suffix in new[] { "", "-wal", "-shm" })
            {
                File.Delete(file + suffix);
            }
        }
    }
}
