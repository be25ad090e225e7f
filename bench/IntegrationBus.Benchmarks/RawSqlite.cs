using System.Diagnostics;
using Microsoft.Data.Sqlite;

namespace IntegrationBus.Benchmarks;

/// <summary>The baseline: plain Microsoft.Data.Sqlite on the store's task and synchronization tables.</summary>
internal sealed class RawSqlite : IRawQueue
{
    // The same shape as integration_task / integration_synchronization in SqliteSchema (version 1).
    private const string Schema = """
        CREATE TABLE integration_task (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            guid TEXT NOT NULL,
            direction INTEGER NOT NULL,
            task_type INTEGER NOT NULL,
            data_type INTEGER NOT NULL,
            object_type TEXT NOT NULL,
            object_id INTEGER NULL,
            site TEXT NULL,
            payload TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            origin_connector TEXT NULL,
            policy INTEGER NOT NULL DEFAULT 0
        );
        CREATE TABLE integration_synchronization (
            connector_id INTEGER NOT NULL,
            direction INTEGER NOT NULL,
            task_id INTEGER NOT NULL,
            status INTEGER NOT NULL DEFAULT 0,
            attempts INTEGER NOT NULL DEFAULT 0,
            last_error TEXT NULL,
            last_run_at INTEGER NULL,
            next_attempt_at INTEGER NULL,
            PRIMARY KEY (connector_id, direction, task_id)
        ) WITHOUT ROWID;
        CREATE INDEX ix_integration_synchronization_task_id ON integration_synchronization (task_id);
        """;

    private readonly SqliteConnection _connection;

    private RawSqlite(string path)
    {
        Path = path;
        _connection = new SqliteConnection($"Data Source={path}");
        _connection.Open();
        Execute("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;");
        Execute(Schema);
    }

    public string Path { get; }

    public static RawSqlite Create() =>
        new(System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"ibus-raw-{Guid.NewGuid():N}.db"));

    /// <summary>Inserts tasks (one synchronization row each) in transactions of <paramref name="transactionSize"/> with prepared commands.</summary>
    public TimeSpan Insert(int count, int transactionSize, string payload) => Insert(count, transactionSize, payload, explicitIds: false);

    /// <summary>
    /// Inserts tasks as <see cref="Insert(int, int, string)"/> does; with <paramref name="explicitIds"/> each task's ID is
    /// given in the insert, counting on from the last (as the store does), instead of read back with <c>RETURNING</c>.
    /// </summary>
    public TimeSpan Insert(int count, int transactionSize, string payload, bool explicitIds)
    {
        var stopwatch = Stopwatch.StartNew();
        using var insertTask = _connection.CreateCommand();
        insertTask.CommandText = explicitIds
            ? """
              INSERT INTO integration_task (id, guid, direction, task_type, data_type, object_type, object_id, site, payload, created_at, origin_connector, policy)
              VALUES (@id, @guid, 0, 1, 1, 'bench.item', @object_id, NULL, @payload, @created_at, NULL, 0);
              """
            : """
              INSERT INTO integration_task (guid, direction, task_type, data_type, object_type, object_id, site, payload, created_at, origin_connector, policy)
              VALUES (@guid, 0, 1, 1, 'bench.item', @object_id, NULL, @payload, @created_at, NULL, 0)
              RETURNING id;
              """;
        var guid = insertTask.Parameters.Add("@guid", SqliteType.Text);
        var objectId = insertTask.Parameters.Add("@object_id", SqliteType.Integer);
        var payloadParameter = insertTask.Parameters.Add("@payload", SqliteType.Text);
        var createdAt = insertTask.Parameters.Add("@created_at", SqliteType.Integer);
        var id = explicitIds ? insertTask.Parameters.Add("@id", SqliteType.Integer) : null;
        using var insertSynchronization = _connection.CreateCommand();
        insertSynchronization.CommandText = "INSERT INTO integration_synchronization (connector_id, direction, task_id, status, attempts) VALUES (1, 0, @task_id, 0, 0);";
        var taskId = insertSynchronization.Parameters.Add("@task_id", SqliteType.Integer);
        insertTask.Prepare();
        insertSynchronization.Prepare();
        var nextId = 1L;
        for (var done = 0; done < count; done += transactionSize)
        {
            using var transaction = _connection.BeginTransaction(deferred: false);
            insertTask.Transaction = transaction;
            insertSynchronization.Transaction = transaction;
            var n = Math.Min(transactionSize, count - done);
            for (var i = 0; i < n; i++)
            {
                guid.Value = Guid.NewGuid().ToString("D");
                objectId.Value = (long)(done + i);
                payloadParameter.Value = payload;
                createdAt.Value = 1_767_225_600_000L;
                if (id is null)
                {
                    taskId.Value = (long)insertTask.ExecuteScalar()!;
                }
                else
                {
                    id.Value = nextId;
                    taskId.Value = nextId++;
                    insertTask.ExecuteNonQuery();
                }

                insertSynchronization.ExecuteNonQuery();
            }

            transaction.Commit();
        }

        return stopwatch.Elapsed;
    }

    /// <summary>Reads the queue in id order in batches of <paramref name="batchSize"/> and deletes each batch in one transaction.</summary>
    public (TimeSpan Elapsed, long Read) ReadAndDelete(int batchSize)
    {
        var stopwatch = Stopwatch.StartNew();
        using var select = _connection.CreateCommand();
        select.CommandText = """
            SELECT t.id, t.guid, t.direction, t.task_type, t.data_type, t.object_type, t.object_id, t.site, t.payload, t.created_at,
                   t.origin_connector, t.policy, s.status, s.attempts, s.next_attempt_at
            FROM integration_synchronization s
            JOIN integration_task t ON t.id = s.task_id
            WHERE s.connector_id = 1 AND s.direction = 0 AND s.task_id > @after AND s.status <> 3
            ORDER BY s.task_id
            LIMIT @limit;
            """;
        var after = select.Parameters.Add("@after", SqliteType.Integer);
        select.Parameters.AddWithValue("@limit", batchSize);
        using var deleteSynchronization = _connection.CreateCommand();
        deleteSynchronization.CommandText = "DELETE FROM integration_synchronization WHERE connector_id = 1 AND direction = 0 AND task_id > @after AND task_id <= @last;";
        var deleteSynchronizationAfter = deleteSynchronization.Parameters.Add("@after", SqliteType.Integer);
        var deleteSynchronizationLast = deleteSynchronization.Parameters.Add("@last", SqliteType.Integer);
        using var deleteTask = _connection.CreateCommand();
        deleteTask.CommandText = "DELETE FROM integration_task WHERE id > @after AND id <= @last;";
        var deleteTaskAfter = deleteTask.Parameters.Add("@after", SqliteType.Integer);
        var deleteTaskLast = deleteTask.Parameters.Add("@last", SqliteType.Integer);
        select.Prepare();
        deleteSynchronization.Prepare();
        deleteTask.Prepare();

        long read = 0;
        long cursor = 0;
        long checksum = 0;
        while (true)
        {
            after.Value = cursor;
            var last = cursor;
            var rows = 0;
            using (var reader = select.ExecuteReader())
            {
                while (reader.Read())
                {
                    last = reader.GetInt64(0);
                    checksum += reader.GetString(1).Length + reader.GetString(8).Length + reader.GetInt32(3);
                    rows++;
                }
            }

            if (rows == 0)
            {
                break;
            }

            using (var transaction = _connection.BeginTransaction(deferred: false))
            {
                deleteSynchronization.Transaction = transaction;
                deleteTask.Transaction = transaction;
                deleteSynchronizationAfter.Value = cursor;
                deleteSynchronizationLast.Value = last;
                deleteTaskAfter.Value = cursor;
                deleteTaskLast.Value = last;
                deleteSynchronization.ExecuteNonQuery();
                deleteTask.ExecuteNonQuery();
                transaction.Commit();
            }

            read += rows;
            cursor = last;
            if (rows < batchSize)
            {
                break;
            }
        }

        GC.KeepAlive(checksum);
        return (stopwatch.Elapsed, read);
    }

    public void Dispose()
    {
        _connection.Dispose();
        SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(Path + suffix);
        }
    }

    private void Execute(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
