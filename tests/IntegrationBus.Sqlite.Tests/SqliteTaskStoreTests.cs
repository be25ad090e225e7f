using System.Data;
using System.Data.Common;
using IntegrationBus.Model;
using IntegrationBus.Storage;
using IntegrationBus.TestKit;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace IntegrationBus.Sqlite.Tests;

/// <summary>The store contract against a fresh temp-file database per test, plus SQLite-only facts.</summary>
public sealed class SqliteTaskStoreTests : TaskStoreContract
{
    private readonly List<string> _files = [];
    private readonly List<SqliteTaskStore> _extraStores = [];
    private readonly string _path;

    public SqliteTaskStoreTests() => _path = NewPath();

    private string ConnectionString => ConnectionStringFor(_path);

    private SqliteTaskStore SqliteStore => (SqliteTaskStore)Store;

    protected override async Task<ITaskStore> CreateStoreAsync()
    {
        var store = Build(_path, null);
        await store.InitializeAsync(Ct);
        return store;
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        foreach (var store in _extraStores)
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

    [Fact]
    public async Task InitializeAsync_NewFile_TurnsOnWal()
    {
        await using var connection = await SqliteStore.OpenConnectionAsync(Ct);

        Assert.Equal("wal", await ScalarAsync<string>(connection, "PRAGMA journal_mode;"));
    }

    [Fact]
    public async Task OpenConnectionAsync_ConfiguredOptions_AppliesBusyTimeoutAndSynchronous()
    {
        var store = NewStore(_path, o =>
        {
            o.BusyTimeout = TimeSpan.FromMilliseconds(1234);
            o.Synchronous = SqliteSynchronousMode.Full;
        });

        await using var first = await store.OpenConnectionAsync(Ct);
        await using var second = await store.OpenConnectionAsync(Ct);

        foreach (var connection in new[] { first, second })
        {
            Assert.Equal(1234, await ScalarAsync<long>(connection, "PRAGMA busy_timeout;"));
            Assert.Equal(2, await ScalarAsync<long>(connection, "PRAGMA synchronous;"));
            Assert.Equal(2, new SqliteConnectionStringBuilder(connection.ConnectionString).DefaultTimeout);
        }
    }

    [Fact]
    public async Task OpenConnectionAsync_DefaultOptions_UsesFiveSecondBusyTimeoutAndNormalSync()
    {
        await using var connection = await SqliteStore.OpenConnectionAsync(Ct);

        Assert.Equal(5000, await ScalarAsync<long>(connection, "PRAGMA busy_timeout;"));
        Assert.Equal(1, await ScalarAsync<long>(connection, "PRAGMA synchronous;"));
    }

    [Fact]
    public async Task OpenConnectionAsync_PooledConnectionReused_KeepsPragmas()
    {
        var store = NewStore(_path, o => o.BusyTimeout = TimeSpan.FromMilliseconds(777));
        await (await store.OpenConnectionAsync(Ct)).DisposeAsync();

        for (var i = 0; i < 3; i++)
        {
            await using var connection = await store.OpenConnectionAsync(Ct);
            Assert.Equal(777, await ScalarAsync<long>(connection, "PRAGMA busy_timeout;"));
            Assert.Equal(1, await ScalarAsync<long>(connection, "PRAGMA synchronous;"));
        }
    }

    [Fact]
    public async Task FetchSql_QueryPlan_SearchesSynchronizationPrimaryKey()
    {
        await using var connection = await SqliteStore.OpenConnectionAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + SqliteQueue.FetchSql;
        foreach (var name in new[] { "@connector_id", "@direction", "@after", "@limit" })
        {
            command.Parameters.AddWithValue(name, 1);
        }

        var plan = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync(Ct))
        {
            while (await reader.ReadAsync(Ct))
            {
                plan.Add(reader.GetString(3));
            }
        }

        Assert.Contains(plan, step => step.Contains("SEARCH s USING PRIMARY KEY (connector_id=? AND direction=? AND task_id>?)", StringComparison.Ordinal));
        Assert.DoesNotContain(plan, step => step.Contains("TEMP B-TREE", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AppendAsync_CallerTransactionCommitted_TasksExist()
    {
        var crm = Some.Connector();
        await using var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync(Ct);
        IReadOnlyList<long> ids;
        using (var transaction = connection.BeginTransaction())
        {
            ids = await Store.AppendAsync([Some.Task(crm), Some.Task(crm)], transaction, Ct);
            transaction.Commit();
        }

        Assert.Equal(ids, (await FetchAllAsync(crm)).Select(t => t.Id));
    }

    [Fact]
    public async Task AppendAsync_CallerTransactionRolledBack_LeavesNoTaskAndNoConnector()
    {
        var crm = Some.Connector();
        await using var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync(Ct);
        using (var transaction = connection.BeginTransaction())
        {
            Assert.Single(await Store.AppendAsync([Some.Task(crm)], transaction, Ct));
            transaction.Rollback();
        }

        Assert.Empty(await FetchAllAsync(crm));
        Assert.Empty(await Store.GetConnectorsAsync(Ct));
        Assert.Equal(0, await Store.CountAsync(new TaskQuery(), Ct));

        var id = await AppendOneAsync(Some.Task(crm));

        Assert.Equal([id], (await FetchAllAsync(crm)).Select(t => t.Id));
        Assert.Equal([crm], (await Store.GetConnectorsAsync(Ct)).Select(c => c.Name));
    }

    [Fact]
    public async Task AppendAsync_TransactionOfAnotherDatabase_ThrowsClearException()
    {
        var otherPath = NewPath();
        await NewStore(otherPath).InitializeAsync(Ct);
        await using var connection = new SqliteConnection(ConnectionStringFor(otherPath));
        await connection.OpenAsync(Ct);
        using var transaction = connection.BeginTransaction();

        var error = await Assert.ThrowsAsync<ArgumentException>(() => Store.AppendAsync([Some.Task(Some.Connector())], transaction, Ct));

        Assert.Equal("transaction", error.ParamName);
        Assert.Contains(otherPath, error.Message, StringComparison.Ordinal);
        Assert.Contains(_path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AppendAsync_NonSqliteTransaction_ThrowsClearException()
    {
        using var transaction = new ForeignTransaction();

        var error = await Assert.ThrowsAsync<ArgumentException>(() => Store.AppendAsync([Some.Task(Some.Connector())], transaction, Ct));

        Assert.Equal("transaction", error.ParamName);
        Assert.Contains(typeof(ForeignTransaction).FullName!, error.Message, StringComparison.Ordinal);
        Assert.Equal(0, await Store.CountAsync(new TaskQuery(), Ct));
    }

    [Fact]
    public async Task InitializeAsync_Twice_IsNoOp()
    {
        var crm = Some.Connector();
        var id = await AppendOneAsync(Some.Task(crm));

        await Store.InitializeAsync(Ct);
        await NewStore(_path).InitializeAsync(Ct);

        Assert.Equal([id], (await FetchAllAsync(crm)).Select(t => t.Id));
        await using var connection = await SqliteStore.OpenConnectionAsync(Ct);
        Assert.Equal(1, await ScalarAsync<long>(connection, "PRAGMA user_version;"));
    }

    [Fact]
    public async Task InitializeAsync_NewerSchemaVersion_ThrowsClearException()
    {
        var newerPath = NewPath();
        await using (var connection = new SqliteConnection(ConnectionStringFor(newerPath)))
        {
            await connection.OpenAsync(Ct);
            await ScalarAsync<long>(connection, "PRAGMA user_version = 2; SELECT 0;");
        }

        var error = await Assert.ThrowsAsync<IntegrationBusException>(() => NewStore(newerPath).InitializeAsync(Ct));

        Assert.Contains("schema version 2", error.Message, StringComparison.Ordinal);
        Assert.Contains("only up to version 1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AppendAsync_AnotherConnectionHoldsWriteLock_WaitsThenSucceeds()
    {
        var crm = Some.Connector();
        await using var blocker = new SqliteConnection(ConnectionString);
        await blocker.OpenAsync(Ct);
        var lockHeld = blocker.BeginTransaction(deferred: false);
        await ScalarAsync<long>(blocker, "INSERT INTO integration_setting (key, value) VALUES ('blocker', 'held'); SELECT changes();", lockHeld);

        var append = Task.Run(() => Store.AppendAsync([Some.Task(crm)], null, Ct), Ct);

        // Not a synchronisation sleep: a bounded window in which the append must NOT finish while the lock is held.
        var finishedFirst = await Task.WhenAny(append, Task.Delay(TimeSpan.FromMilliseconds(250), Ct));
        Assert.NotSame(append, finishedFirst);
        lockHeld.Commit();
        lockHeld.Dispose();
        var ids = await append.WaitAsync(TimeSpan.FromSeconds(10), Ct);

        Assert.Equal(ids, (await FetchAllAsync(crm)).Select(t => t.Id));
        Assert.Equal("held", (await Store.GetSettingsAsync(Ct))["blocker"]);
    }

    [Fact]
    public void Constructor_MissingConnectionString_ThrowsNamingTheOption()
    {
        var error = Assert.Throws<OptionsValidationException>(
            () => new SqliteTaskStore(Options.Create(new SqliteTaskStoreOptions()), NullLogger<SqliteTaskStore>.Instance));

        Assert.Contains(nameof(SqliteTaskStoreOptions.ConnectionString), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_BusyTimeoutOutOfRange_ThrowsNamingTheOption()
    {
        var options = new SqliteTaskStoreOptions { ConnectionString = ConnectionString, BusyTimeout = TimeSpan.Zero };

        var error = Assert.Throws<OptionsValidationException>(() => new SqliteTaskStore(Options.Create(options), NullLogger<SqliteTaskStore>.Instance));

        Assert.Contains(nameof(SqliteTaskStoreOptions.BusyTimeout), error.Message, StringComparison.Ordinal);
    }

    private static string ConnectionStringFor(string path) => new SqliteConnectionStringBuilder { DataSource = path }.ToString();

    private static async Task<T> ScalarAsync<T>(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return (T)(await command.ExecuteScalarAsync(Ct))!;
    }

    private string NewPath()
    {
        var path = Path.Combine(Path.GetTempPath(), $"integrationbus-{Guid.NewGuid():N}.db");
        _files.Add(path);
        return path;
    }

    private static SqliteTaskStore Build(string path, Action<SqliteTaskStoreOptions>? configure)
    {
        var options = new SqliteTaskStoreOptions { ConnectionString = ConnectionStringFor(path) };
        configure?.Invoke(options);
        return new SqliteTaskStore(Options.Create(options), NullLogger<SqliteTaskStore>.Instance);
    }

    private SqliteTaskStore NewStore(string path, Action<SqliteTaskStoreOptions>? configure = null)
    {
        var store = Build(path, configure);
        _extraStores.Add(store);
        return store;
    }

    private sealed class ForeignTransaction : DbTransaction
    {
        public override IsolationLevel IsolationLevel => IsolationLevel.Serializable;

        protected override DbConnection? DbConnection => null;

        public override void Commit()
        {
        }

        public override void Rollback()
        {
        }
    }
}
