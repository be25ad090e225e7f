using System.Data;
using System.Data.Common;
using IntegrationBus.Storage;
using IntegrationBus.TestKit;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace IntegrationBus.Sqlite.Tests;

/// <summary>The store contract against a fresh temp-file database per test, plus SQLite-only facts.</summary>
public sealed class SqliteTaskStoreTests : TaskStoreContract
{
    private readonly SqliteTestFiles _files = new();
    private readonly string _path;

    public SqliteTaskStoreTests() => _path = _files.NewPath();

    private string ConnectionString => SqliteTestFiles.ConnectionStringFor(_path);

    private SqliteTaskStore SqliteStore => (SqliteTaskStore)Store;

    protected override async Task<TaskStore> CreateStoreAsync()
    {
        var store = _files.NewStore(_path, Time);
        await store.InitializeAsync(Ct);
        return store;
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        _files.Dispose();
    }

    [Fact]
    public async Task AppendEnlistedAsync_SqliteCannotEnlist_NotSupportedAndNothingAppended()
    {
        var crm = Some.Connector();
        Assert.False(Store.Queue.SupportsEnlistedAppends);
        await using var connection = await SqliteStore.OpenConnectionAsync(Ct);
        var refused = await Assert.ThrowsAsync<NotSupportedException>(() => Store.Queue.AppendEnlistedAsync([Some.Task(crm)], connection, Ct));
        Assert.Contains("TransactionScope", refused.Message, StringComparison.Ordinal);
        Assert.Throws<NotSupportedException>(() => Store.Queue.AppendEnlisted([Some.Task(crm)], connection));
        Assert.Empty(await FetchAllAsync(crm));
    }

    [Fact]
    public async Task InitializeAsync_NewFile_TurnsOnWal()
    {
        await using var connection = await SqliteStore.OpenConnectionAsync(Ct);

        Assert.Equal("wal", await SqliteTestFiles.ScalarAsync<string>(connection, "PRAGMA journal_mode;"));
    }

    [Fact]
    public async Task OpenConnectionAsync_ConfiguredOptions_AppliesBusyTimeoutAndSynchronous()
    {
        var store = _files.NewStore(_path, configure: o =>
        {
            o.BusyTimeout = TimeSpan.FromMilliseconds(1234);
            o.Synchronous = SqliteSynchronousMode.Full;
        });

        await using var first = await store.OpenConnectionAsync(Ct);
        await using var second = await store.OpenConnectionAsync(Ct);

        foreach (var connection in new[] { first, second })
        {
            Assert.Equal(1234, await SqliteTestFiles.ScalarAsync<long>(connection, "PRAGMA busy_timeout;"));
            Assert.Equal(2, await SqliteTestFiles.ScalarAsync<long>(connection, "PRAGMA synchronous;"));
            Assert.Equal(2, new SqliteConnectionStringBuilder(connection.ConnectionString).DefaultTimeout);
        }
    }

    [Fact]
    public async Task OpenConnectionAsync_DefaultOptions_UsesFiveSecondBusyTimeoutAndNormalSync()
    {
        await using var connection = await SqliteStore.OpenConnectionAsync(Ct);

        Assert.Equal(5000, await SqliteTestFiles.ScalarAsync<long>(connection, "PRAGMA busy_timeout;"));
        Assert.Equal(1, await SqliteTestFiles.ScalarAsync<long>(connection, "PRAGMA synchronous;"));
    }

    [Fact]
    public async Task Commits_WalCheckpointedInTheBackground_ConnectionsKeepOnlyABackstop()
    {
        // The system clock: the checkpointer waits on the store's clock between checkpoints.
        var store = _files.NewStore(_path);
        var checkpointed = new TaskCompletionSource<(long Log, long Moved)>(TaskCreationOptions.RunContinuationsAsynchronously);
        store.Checkpointer.Checkpointed += (log, moved) =>
        {
            if (moved > 0)
            {
                checkpointed.TrySetResult((log, moved));
            }
        };
        var crm = Some.Connector();
        for (var i = 0; i < 5; i++)
        {
            await store.Queue.AppendAsync([Some.Task(crm)], null, Ct);
        }

        // Five small commits are far below SQLite's automatic limit: only the background checkpoint moves their pages.
        var (log, moved) = await checkpointed.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        Assert.InRange(moved, 1, log);
        await using (var connection = await store.OpenConnectionAsync(Ct))
        {
            Assert.Equal(SqliteCheckpointer.BackstopPages, await SqliteTestFiles.ScalarAsync<long>(connection, "PRAGMA wal_autocheckpoint;"));
        }

        // Disposing waits for the loop; the tasks are all there for the next store.
        await store.DisposeAsync();
        Assert.Equal(5, await Store.Management.CountTasksAsync(new TaskQuery(), Ct));
    }

    [Fact]
    public async Task AppendAsync_CallerTransaction_ItsConnectionLeavesCheckpointsToTheBackground()
    {
        // The system clock, as above; a file of its own, whose store has not committed anything itself.
        var path = _files.NewPath();
        var store = _files.NewStore(path);
        await store.InitializeAsync(Ct);
        var checkpointed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        store.Checkpointer.Checkpointed += (_, _) => checkpointed.TrySetResult();
        var crm = Some.Connector();

        await using var application = new SqliteConnection(SqliteTestFiles.ConnectionStringFor(path));
        await application.OpenAsync(Ct);
        Assert.Equal(1000, await SqliteTestFiles.ScalarAsync<long>(application, "PRAGMA wal_autocheckpoint;"));
        using (var transaction = application.BeginTransaction())
        {
            await store.Queue.AppendAsync([Some.Task(crm)], transaction, Ct);
            transaction.Commit();
        }

        // The application's commits no longer checkpoint below the store's backstop; the background checkpointer does.
        Assert.Equal(SqliteCheckpointer.BackstopPages, await SqliteTestFiles.ScalarAsync<long>(application, "PRAGMA wal_autocheckpoint;"));
        await checkpointed.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);

        // A connection whose automatic checkpoint the application switched off keeps it off.
        await using var manual = new SqliteConnection(SqliteTestFiles.ConnectionStringFor(path) + ";Pooling=False");
        await manual.OpenAsync(Ct);
        await using (var off = manual.CreateCommand())
        {
            off.CommandText = "PRAGMA wal_autocheckpoint=0;";
            await off.ExecuteNonQueryAsync(Ct);
        }

        using (var transaction = manual.BeginTransaction())
        {
            store.Queue.Append([Some.Task(crm)], transaction);
            transaction.Commit();
        }

        Assert.Equal(0, await SqliteTestFiles.ScalarAsync<long>(manual, "PRAGMA wal_autocheckpoint;"));
        Assert.Equal(2, await store.Management.CountTasksAsync(new TaskQuery(), Ct));
    }

    [Fact]
    public async Task Checkpointer_ConnectionFailsToOpenOnce_NextCommitCheckpointsAndDisposeDoesNotThrow()
    {
        var store = _files.NewStore(_path);
        await store.InitializeAsync(Ct);
        await store.Queue.AppendAsync([Some.Task(Some.Connector())], null, Ct);
        var opens = 0;
        var firstOpenFailed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var checkpointed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var checkpointer = new SqliteCheckpointer(
            cancellationToken =>
            {
                if (Interlocked.Increment(ref opens) == 1)
                {
                    firstOpenFailed.TrySetResult();
                    throw new InvalidOperationException("The checkpoint's connection did not open.");
                }

                return store.OpenConnectionAsync(cancellationToken);
            },
            TimeProvider.System,
            NullLogger.Instance);
        checkpointer.Checkpointed += (_, _) => checkpointed.TrySetResult();

        checkpointer.Committed();
        await firstOpenFailed.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        checkpointer.Committed();

        // The failure is logged and the loop goes on: the next commit gets its checkpoint, on a connection that opens.
        await checkpointed.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        Assert.Equal(2, Volatile.Read(ref opens));
        await checkpointer.DisposeAsync();
        await store.DisposeAsync();
    }

    [Fact]
    public async Task OpenConnectionAsync_PooledConnectionReused_KeepsPragmas()
    {
        var store = _files.NewStore(_path, configure: o => o.BusyTimeout = TimeSpan.FromMilliseconds(777));
        await (await store.OpenConnectionAsync(Ct)).DisposeAsync();

        for (var i = 0; i < 3; i++)
        {
            await using var connection = await store.OpenConnectionAsync(Ct);
            Assert.Equal(777, await SqliteTestFiles.ScalarAsync<long>(connection, "PRAGMA busy_timeout;"));
            Assert.Equal(1, await SqliteTestFiles.ScalarAsync<long>(connection, "PRAGMA synchronous;"));
        }
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
            ids = await Store.Queue.AppendAsync([Some.Task(crm), Some.Task(crm)], transaction, Ct);
            transaction.Commit();
        }

        Assert.Equal(ids, (await FetchAllAsync(crm)).Select(t => t.Id));
    }

    [Fact]
    public async Task Append_CallerTransactionCommitted_TasksExistWithEveryField()
    {
        var crm = Some.Connector();
        var task = Some.Task(crm);
        await using var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync(Ct);
        IReadOnlyList<long> ids;
        using (var transaction = connection.BeginTransaction())
        {
            ids = Store.Queue.Append([task], transaction);
            transaction.Commit();
        }

        var queued = Assert.Single(await FetchAllAsync(crm));
        Assert.Equal((ids[0], task.ObjectGuid, task.TraceParent, task.TraceState), (queued.Id, queued.ObjectGuid, queued.TraceParent, queued.TraceState));
    }

    [Fact]
    public async Task AppendAsync_CallerTransactionRolledBack_LeavesNoTaskAndNoConnector()
    {
        var crm = Some.Connector();
        await using var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync(Ct);
        using (var transaction = connection.BeginTransaction())
        {
            Assert.Single(await Store.Queue.AppendAsync([Some.Task(crm)], transaction, Ct));
            transaction.Rollback();
        }

        Assert.Empty(await FetchAllAsync(crm));
        Assert.Empty(await Store.Configuration.GetConnectorsAsync(Ct));
        Assert.Equal(0, await Store.Management.CountTasksAsync(new TaskQuery(), Ct));

        var id = await AppendOneAsync(Some.Task(crm));

        Assert.Equal([id], (await FetchAllAsync(crm)).Select(t => t.Id));
        Assert.Equal([crm], (await Store.Configuration.GetConnectorsAsync(Ct)).Select(c => c.Name));
    }

    [Fact]
    public async Task AppendAsync_TransactionOfAnotherDatabase_ThrowsClearException()
    {
        var otherPath = _files.NewPath();
        await _files.NewStore(otherPath).InitializeAsync(Ct);
        await using var connection = new SqliteConnection(SqliteTestFiles.ConnectionStringFor(otherPath));
        await connection.OpenAsync(Ct);
        using var transaction = connection.BeginTransaction();

        var error = await Assert.ThrowsAsync<ArgumentException>(() => Store.Queue.AppendAsync([Some.Task(Some.Connector())], transaction, Ct));
        var syncError = Assert.Throws<ArgumentException>(() => Store.Queue.Append([Some.Task(Some.Connector())], transaction));

        foreach (var exception in new[] { error, syncError })
        {
            Assert.Equal("transaction", exception.ParamName);
            Assert.Contains(otherPath, exception.Message, StringComparison.Ordinal);
            Assert.Contains(_path, exception.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task AppendAsync_NonSqliteTransaction_ThrowsClearException()
    {
        using var transaction = new ForeignTransaction();

        var error = await Assert.ThrowsAsync<ArgumentException>(() => Store.Queue.AppendAsync([Some.Task(Some.Connector())], transaction, Ct));
        var syncError = Assert.Throws<ArgumentException>(() => Store.Queue.Append([Some.Task(Some.Connector())], transaction));

        foreach (var exception in new[] { error, syncError })
        {
            Assert.Equal("transaction", exception.ParamName);
            Assert.Contains(typeof(ForeignTransaction).FullName!, exception.Message, StringComparison.Ordinal);
        }

        Assert.Equal(0, await Store.Management.CountTasksAsync(new TaskQuery(), Ct));
    }

    [Fact]
    public async Task InitializeAsync_Twice_IsNoOp()
    {
        var crm = Some.Connector();
        var id = await AppendOneAsync(Some.Task(crm));

        await Store.InitializeAsync(Ct);
        await _files.NewStore(_path).InitializeAsync(Ct);

        Assert.Equal([id], (await FetchAllAsync(crm)).Select(t => t.Id));
        await using var connection = await SqliteStore.OpenConnectionAsync(Ct);
        Assert.Equal(4, await SqliteTestFiles.ScalarAsync<long>(connection, "PRAGMA user_version;"));
    }

    [Fact]
    public async Task InitializeAsync_NewerSchemaVersion_ThrowsClearException()
    {
        var newerPath = _files.NewPath();
        await SqliteTestFiles.ExecuteAsync(newerPath, "PRAGMA user_version = 5;");

        var error = await Assert.ThrowsAsync<IntegrationBusException>(() => _files.NewStore(newerPath).InitializeAsync(Ct));

        Assert.Contains("schema version 5", error.Message, StringComparison.Ordinal);
        Assert.Contains("only up to version 4", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AppendAsync_AnotherConnectionHoldsWriteLock_WaitsThenSucceeds()
    {
        var crm = Some.Connector();
        await using var blocker = new SqliteConnection(ConnectionString);
        await blocker.OpenAsync(Ct);
        var lockHeld = blocker.BeginTransaction(deferred: false);
        await SqliteTestFiles.ScalarAsync<long>(blocker, "INSERT INTO integration_setting (key, value) VALUES ('blocker', 'held'); SELECT changes();", lockHeld);

        var append = Task.Run(() => Store.Queue.AppendAsync([Some.Task(crm)], null, Ct), Ct);

        // Not a synchronisation sleep: a bounded window in which the append must NOT finish while the lock is held.
        var finishedFirst = await Task.WhenAny(append, Task.Delay(TimeSpan.FromMilliseconds(250), Ct));
        Assert.NotSame(append, finishedFirst);
        lockHeld.Commit();
        lockHeld.Dispose();
        var ids = await append.WaitAsync(TimeSpan.FromSeconds(10), Ct);

        Assert.Equal(ids, (await FetchAllAsync(crm)).Select(t => t.Id));
        Assert.Equal("held", (await Store.Configuration.GetSettingsAsync(Ct))["blocker"]);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(33)]
    [InlineData(77)]
    [InlineData(200)]
    public async Task AppendAsync_ManyTasksToSeveralConnectors_EveryRowInOrderWithItsValues(int count)
    {
        // Rows go several to a statement (32 tasks, 64 synchronizations): counts that cross those sizes.
        var (crm, erp, search) = (Some.Connector(), Some.Connector(), Some.Connector());
        var tasks = Enumerable.Range(0, count)
            .Select(i => Some.Task(crm, erp, search) with { OrderingKeys = [$"k{i}", null, $"s{i % 3}"] })
            .ToList();

        var ids = await Store.Queue.AppendAsync(tasks, null, Ct);

        Assert.Equal(ids.Order(), ids);
        Assert.Equal(count, ids.Distinct().Count());
        foreach (var (connector, column) in new[] { (crm, 0), (erp, 1), (search, 2) })
        {
            var queued = await FetchAllAsync(connector);
            Assert.Equal(ids, queued.Select(t => t.Id));
            Assert.Equal(tasks.Select(t => t.Guid), queued.Select(t => t.Guid));
            Assert.Equal(
                tasks.Select(t => (t.ObjectType, t.ObjectId, t.ObjectGuid, t.Site, t.Payload, t.CreatedAt, t.TraceParent, t.TraceState)),
                queued.Select(t => (t.ObjectType, t.ObjectId, t.ObjectGuid, t.Site, t.Payload, t.CreatedAt, t.TraceParent, t.TraceState)));
            Assert.Equal(tasks.Select(t => t.OrderingKeys![column]), queued.Select(t => t.OrderingKey));
        }
    }

    [Fact]
    public async Task AppendAsync_AfterTheNewestTasksWereDeleted_NeverReusesTheirIds()
    {
        var crm = Some.Connector();
        var first = await Store.Queue.AppendAsync([Some.Task(crm), Some.Task(crm), Some.Task(crm)], null, Ct);
        await using (var connection = await SqliteStore.OpenConnectionAsync(Ct))
        {
            await SqliteTestFiles.ScalarAsync<long>(connection, "DELETE FROM integration_synchronization; DELETE FROM integration_task; SELECT changes();");
        }

        var next = await Store.Queue.AppendAsync([Some.Task(crm), Some.Task(crm)], null, Ct);

        Assert.All(next, id => Assert.True(id > first.Max(), $"Task ID {id} reuses one at or below {first.Max()}."));
        Assert.Equal(next, (await FetchAllAsync(crm)).Select(t => t.Id));
    }

    [Fact]
    public async Task Append_DeferredCallerTransactionWhileAnotherConnectionWrites_WaitsForTheLockThenWritesWithTheTransaction()
    {
        var crm = Some.Connector();
        await Store.Queue.AppendAsync([Some.Task(crm)], null, Ct);
        await using var blocker = new SqliteConnection(ConnectionString);
        await blocker.OpenAsync(Ct);
        var lockHeld = blocker.BeginTransaction(deferred: false);
        await SqliteTestFiles.ScalarAsync<long>(blocker, "INSERT INTO integration_setting (key, value) VALUES ('blocker', 'held'); SELECT changes();", lockHeld);
        await using var caller = new SqliteConnection(ConnectionString);
        await caller.OpenAsync(Ct);
        var transaction = caller.BeginTransaction(deferred: true);

        var append = Task.Run(() => Store.Queue.Append([Some.Task(crm), Some.Task(crm)], transaction), Ct);

        // Not a synchronisation sleep: a bounded window in which the append must NOT finish while the lock is held.
        var finishedFirst = await Task.WhenAny(append, Task.Delay(TimeSpan.FromMilliseconds(250), Ct));
        Assert.NotSame(append, finishedFirst);
        lockHeld.Commit();
        lockHeld.Dispose();
        var ids = await append.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        Assert.Single(await FetchAllAsync(crm));
        transaction.Commit();

        Assert.Equal(ids, (await FetchAllAsync(crm)).Skip(1).Select(t => t.Id));
    }

    [Fact]
    public async Task FetchAsync_LargestStoredValues_ReadBackExactly()
    {
        var crm = Some.Connector();
        var task = Some.IncomingTask(crm, IncomingPolicy.DeleteOnError, crm) with { TaskType = TaskType.MovePage, DataType = DataType.Snapshot };
        var id = await AppendOneAsync(task);
        await using (var connection = await SqliteStore.OpenConnectionAsync(Ct))
        {
            await SqliteTestFiles.ScalarAsync<long>(connection, $"UPDATE integration_synchronization SET attempts = {int.MaxValue}, status = 2 WHERE task_id = {id}; SELECT changes();");
        }

        var queued = Assert.Single(await FetchAllAsync(crm, TaskDirection.Incoming));

        Assert.Equal(
            (TaskDirection.Incoming, TaskType.MovePage, DataType.Snapshot, IncomingPolicy.DeleteOnError, SynchronizationStatus.Skipped, int.MaxValue),
            (queued.Direction, queued.TaskType, queued.DataType, queued.Policy, queued.Status, queued.Attempts));
    }

    [Fact]
    public async Task AppendAsync_UndefinedEnumValue_ThrowsNamingTheTask()
    {
        var task = Some.Task(Some.Connector()) with { TaskType = (TaskType)999 };

        var error = await Assert.ThrowsAsync<ArgumentException>(() => Store.Queue.AppendAsync([task], null, Ct));

        Assert.Contains(task.Guid.ToString(), error.Message, StringComparison.Ordinal);
        Assert.Contains("999", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, await Store.Management.CountTasksAsync(new TaskQuery(), Ct));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Constructor_ResolvedFromServices_UsesTheRegisteredTimeProviderOrTheSystemClock(bool registerClock)
    {
        var services = new ServiceCollection().AddLogging();
        services.AddOptions<SqliteTaskStoreOptions>().Configure(o => o.ConnectionString = ConnectionString);
        if (registerClock)
        {
            services.AddSingleton<TimeProvider>(Time);
        }

        services.AddSingleton<SqliteTaskStore>();
        await using var provider = services.BuildServiceProvider();
        var store = provider.GetRequiredService<SqliteTaskStore>();

        await store.Notifier.PublishAsync(new BusNotification { Kind = BusNotificationKind.SettingsChanged }, Ct);

        await using var connection = await store.OpenConnectionAsync(Ct);
        var createdAt = DateTimeOffset.FromUnixTimeMilliseconds(await SqliteTestFiles.ScalarAsync<long>(connection, "SELECT MAX(created_at) FROM integration_notification;"));
        Assert.Equal(registerClock, createdAt == Time.GetUtcNow());
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

    [Theory]
    [InlineData(0)]
    [InlineData(9)]
    [InlineData(60_001)]
    public void Constructor_NotificationPollIntervalOutOfRange_ThrowsNamingTheOptionAndRange(int milliseconds)
    {
        var options = new SqliteTaskStoreOptions { ConnectionString = ConnectionString, NotificationPollInterval = TimeSpan.FromMilliseconds(milliseconds) };

        var error = Assert.Throws<OptionsValidationException>(() => new SqliteTaskStore(Options.Create(options), NullLogger<SqliteTaskStore>.Instance));

        Assert.Contains(nameof(SqliteTaskStoreOptions.NotificationPollInterval), error.Message, StringComparison.Ordinal);
        Assert.Contains("00:00:00.01", error.Message, StringComparison.Ordinal);
        Assert.Contains("00:01:00", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_Defaults_NotifierPollsTwiceASecond()
        => Assert.Equal(TimeSpan.FromMilliseconds(500), new SqliteTaskStoreOptions().NotificationPollInterval);

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
