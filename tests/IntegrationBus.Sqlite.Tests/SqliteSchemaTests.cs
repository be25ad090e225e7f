using IntegrationBus.Storage;
using IntegrationBus.TestKit;
using Microsoft.Data.Sqlite;

namespace IntegrationBus.Sqlite.Tests;

/// <summary>Creating schema version 2 and upgrading files of version 1 in place.</summary>
public sealed class SqliteSchemaTests : IDisposable
{
    private const string Task1Guid = "5d8e4a55-52c5-4bd5-9c0f-0f3a5f8f0a01";
    private const string Task2Guid = "5d8e4a55-52c5-4bd5-9c0f-0f3a5f8f0a02";

    private static readonly long Epoch = Some.Epoch.ToUnixTimeMilliseconds();

    private readonly SqliteTestFiles _files = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _files.Dispose();

    [Fact]
    public async Task InitializeAsync_Version1FileWithTasks_UpgradesInPlaceKeepingEveryTask()
    {
        var path = await CreateVersion1FileAsync();
        var store = _files.NewStore(path);

        await store.InitializeAsync(Ct);

        await using (var connection = await store.OpenConnectionAsync(Ct))
        {
            Assert.Equal(4, await SqliteTestFiles.ScalarAsync<long>(connection, "PRAGMA user_version;"));
            Assert.Equal(0, await SqliteTestFiles.ScalarAsync<long>(connection, "SELECT COUNT(*) FROM sqlite_schema WHERE type = 'trigger';"));
        }

        var crm = await FetchAsync(store, "crm", TaskDirection.Outgoing);
        Assert.Equal([1L, 3L], crm.Select(t => t.Id));
        Assert.Equal(
            new QueuedTask
            {
                Id = 1, Guid = Guid.Parse(Task1Guid), Direction = TaskDirection.Outgoing, TaskType = TaskType.UpdateObject, DataType = DataType.Simple,
                ObjectType = "test.contact", ObjectId = 42, Site = "main", Payload = "{\"v\":1}", CreatedAt = Some.Epoch, Status = SynchronizationStatus.Pending,
            },
            crm[0]);
        var erp = Assert.Single(await FetchAsync(store, "erp", TaskDirection.Outgoing));
        Assert.Equal((1L, SynchronizationStatus.Error, 1, Some.Epoch.AddMinutes(1)), (erp.Id, erp.Status, erp.Attempts, erp.NextAttemptAt));
        var incoming = Assert.Single(await FetchAsync(store, "crm", TaskDirection.Incoming));
        Assert.Equal((2L, "erp", IncomingPolicy.SkipOnError), (incoming.Id, incoming.OriginConnector, incoming.Policy));
        Assert.Equal(
            [new AttemptRecord { TaskId = 1, Connector = "erp", Direction = TaskDirection.Outgoing, AttemptedAt = Some.Epoch, Result = TaskResultKind.Error, Message = "down" }],
            await store.Management.GetAttemptsAsync(1, Ct));
        Assert.Equal("true", (await store.Configuration.GetSettingsAsync(Ct))["bus.enabled"]);
        var repeat = await store.Queue.AppendIncomingAsync([new IncomingAppend(Some.IncomingTask("crm", IncomingPolicy.Default, "crm"), "key-1", Some.Epoch.AddHours(-1))], Ct);
        Assert.Equal((true, 2L), (repeat[0].Repeated, repeat[0].TaskId));
    }

    [Fact]
    public async Task InitializeAsync_Version1FileWithLease_KeepsLeaseAndCountsTokensOnFromIt()
    {
        var path = await CreateVersion1FileAsync();
        var store = _files.NewStore(path);
        await store.InitializeAsync(Ct);

        Assert.Null(await AcquireAsync(store, "crm", "new-node", Some.Epoch.AddSeconds(10)));
        var summary = Assert.Single(await store.Management.GetQueuesAsync(Ct), q => q.Queue == Some.Queue("crm"));
        Assert.Equal(("old-node", Some.Epoch.AddSeconds(30)), (summary.LeaseOwner, summary.LeaseExpiresAt));

        var lease = await AcquireAsync(store, "crm", "new-node", Some.Epoch.AddSeconds(30));

        Assert.NotNull(lease);
        Assert.Equal((2L, Some.Epoch.AddSeconds(30)), (lease.Token, lease.AcquiredAt));
    }

    [Fact]
    public async Task InitializeAsync_Version1File_AcknowledgementsRemoveTasksWithoutTheOldTrigger()
    {
        var path = await CreateVersion1FileAsync();
        var store = _files.NewStore(path);
        await store.InitializeAsync(Ct);
        var now = Some.Epoch.AddMinutes(5);
        var crm = await AcquireAsync(store, "crm", "node", now);
        var erp = await AcquireAsync(store, "erp", "node", now);
        var ok = new TaskOutcome { TaskId = 1, Result = TaskResultKind.Ok, AttemptedAt = now };

        Assert.True(await store.Queue.RecordAsync(new RecordRequest { Lease = crm!, Outcomes = [ok] }, Ct));
        Assert.NotNull(await store.Management.GetTaskAsync(1, Ct));
        Assert.True(await store.Queue.RecordAsync(new RecordRequest { Lease = erp!, Outcomes = [ok] }, Ct));

        Assert.Null(await store.Management.GetTaskAsync(1, Ct));
        Assert.Empty(await store.Management.GetAttemptsAsync(1, Ct));
        var id = (await store.Queue.AppendAsync([Some.Task("crm")], null, Ct)).Single();
        Assert.True(id > 3, $"Task ID {id} after the file's last ID 3.");
    }

    [Fact]
    public async Task InitializeAsync_Version1File_EndsWithTheSameSchemaAsANewFile()
    {
        var upgradedPath = _files.NewPath();
        await SqliteTestFiles.ExecuteAsync(upgradedPath, SqliteVersion1.Version1);
        await _files.NewStore(upgradedPath).InitializeAsync(Ct);
        var newPath = _files.NewPath();
        await _files.NewStore(newPath).InitializeAsync(Ct);

        var upgraded = await DescribeSchemaAsync(upgradedPath);
        var created = await DescribeSchemaAsync(newPath);

        Assert.Equal(created, upgraded);
        Assert.Contains(created, line => line.StartsWith("table integration_history", StringComparison.Ordinal));
    }

    [Fact]
    public async Task InitializeAsync_Version1FileTwice_UpgradesOnce()
    {
        var path = await CreateVersion1FileAsync();

        await Task.WhenAll(_files.NewStore(path).InitializeAsync(Ct), _files.NewStore(path).InitializeAsync(Ct));
        await _files.NewStore(path).InitializeAsync(Ct);

        var store = _files.NewStore(path);
        Assert.Equal([1L, 3L], (await FetchAsync(store, "crm", TaskDirection.Outgoing)).Select(t => t.Id));
    }

    private static Task<IReadOnlyList<QueuedTask>> FetchAsync(SqliteTaskStore store, string connector, TaskDirection direction)
        => store.Queue.FetchAsync(new FetchRequest { Queue = Some.Queue(connector, direction), Limit = 100, Now = Some.Epoch }, Ct);

    private static Task<QueueLease?> AcquireAsync(SqliteTaskStore store, string connector, string owner, DateTimeOffset now)
        => store.Leases.TryAcquireAsync(new LeaseRequest { Queue = Some.Queue(connector), Owner = owner, Duration = TimeSpan.FromSeconds(30), Now = now }, Ct);

    /// <summary>A file as version 1 left it: two connectors, a task for both (one in error with an attempt), an incoming task, a key, a setting, a lease.</summary>
    private async Task<string> CreateVersion1FileAsync()
    {
        var path = _files.NewPath();
        await SqliteTestFiles.ExecuteAsync(path, SqliteVersion1.Version1 + $$"""
            INSERT INTO integration_connector (id, name, display_name, enabled) VALUES (1, 'crm', 'CRM', 1), (2, 'erp', 'ERP', 1);
            INSERT INTO integration_task (id, guid, direction, task_type, data_type, object_type, object_id, site, payload, created_at, origin_connector, policy)
            VALUES (1, '{{Task1Guid}}', 0, 2, 1, 'test.contact', 42, 'main', '{"v":1}', {{Epoch}}, NULL, 0),
                   (2, '{{Task2Guid}}', 1, 1, 2, 'test.contact', NULL, NULL, '{"v":1}', {{Epoch}}, 'erp', 2),
                   (3, '{{Guid.NewGuid()}}', 0, 2, 1, 'test.contact', 43, 'main', '{"v":1}', {{Epoch}}, NULL, 0);
            INSERT INTO integration_synchronization (connector_id, direction, task_id, status, attempts, last_error, last_run_at, next_attempt_at)
            VALUES (1, 0, 1, 0, 0, NULL, NULL, NULL), (2, 0, 1, 1, 1, 'down', {{Epoch}}, {{Epoch + 60_000}}), (1, 1, 2, 0, 0, NULL, NULL, NULL), (1, 0, 3, 0, 0, NULL, NULL, NULL);
            INSERT INTO integration_attempt (task_id, connector_id, attempted_at, result, message) VALUES (1, 2, {{Epoch}}, 1, 'down');
            INSERT INTO integration_idempotency (connector_id, key, task_id, task_guid, created_at) VALUES (1, 'key-1', 2, '{{Task2Guid}}', {{Epoch}});
            INSERT INTO integration_setting (key, value) VALUES ('bus.enabled', 'true');
            INSERT INTO integration_lease (connector_id, direction, owner, expires_at) VALUES (1, 0, 'old-node', {{Epoch + 30_000}});
            """);
        return path;
    }

    /// <summary>Every table (with its columns and whether it has a rowid) and every index (with its columns and condition), as sorted lines.</summary>
    private static async Task<List<string>> DescribeSchemaAsync(string path)
    {
        await using var connection = new SqliteConnection(SqliteTestFiles.ConnectionStringFor(path));
        await connection.OpenAsync(Ct);
        var lines = new List<string>();
        foreach (var (type, name, table, sql) in await RowsAsync(connection, "SELECT type, name, tbl_name, COALESCE(sql, '') FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%';", r => (r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3))))
        {
            if (type == "table")
            {
                var withoutRowid = await RowsAsync(connection, $"SELECT wr FROM pragma_table_list('{name}');", r => r.GetInt64(0));
                lines.Add($"table {name} without_rowid={withoutRowid.Single()}");
                lines.AddRange(await RowsAsync(connection, $"SELECT cid, name, type, \"notnull\", COALESCE(dflt_value, ''), pk FROM pragma_table_xinfo('{name}');",
                    r => $"  column {name}.{r.GetInt64(0)} {r.GetString(1)} {r.GetString(2)} notnull={r.GetInt64(3)} default={r.GetString(4)} pk={r.GetInt64(5)}"));
            }
            else if (type == "index")
            {
                var where = sql.Contains(" WHERE ", StringComparison.OrdinalIgnoreCase) ? sql[sql.IndexOf(" WHERE ", StringComparison.OrdinalIgnoreCase)..] : "";
                var columns = await RowsAsync(connection, $"SELECT COALESCE(name, '<rowid>') || ' ' || coll || ' ' || \"desc\" FROM pragma_index_xinfo('{name}') WHERE key = 1;", r => r.GetString(0));
                lines.Add($"index {name} on {table} ({string.Join(", ", columns)}){string.Join(' ', where.Split((char[])[' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries))}");
            }
            else
            {
                lines.Add($"{type} {name}");
            }
        }

        lines.Sort(StringComparer.Ordinal);
        return lines;
    }

    private static async Task<List<T>> RowsAsync<T>(SqliteConnection connection, string sql, Func<SqliteDataReader, T> read)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        var rows = new List<T>();
        await using var reader = await command.ExecuteReaderAsync(Ct);
        while (await reader.ReadAsync(Ct))
        {
            rows.Add(read(reader));
        }

        return rows;
    }
}
