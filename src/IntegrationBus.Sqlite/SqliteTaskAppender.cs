using System.Data.Common;
using Microsoft.Data.Sqlite;
using IntegrationBus.Storage;

namespace IntegrationBus.Sqlite;

/// <summary>Appends tasks in one transaction, the store's own or the caller's.</summary>
internal sealed class SqliteTaskAppender(SqliteDatabase database)
{
    // Rows are inserted several to a statement (up to 32 tasks or 64 synchronizations): SQLite's per-statement work
    // (cursors, the AUTOINCREMENT counter) is then paid once per statement, not per row. Statements exist for 1, 2, 4, …
    // rows, so every text is a constant the writer's session can keep prepared.
    private const int MaxTasksPerStatement = 32;
    private const int MaxSynchronizationsPerStatement = 64;

    // Task IDs are given explicitly, counting on from the largest the table ever had (the write lock is held), so the
    // IDs of a multi-row insert are known and in the tasks' order.
    private const string NextTaskIdSql = """
        SELECT max(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'integration_task'), 0), COALESCE((SELECT max(id) FROM integration_task), 0)) + 1;
        """;

    // A write statement that changes nothing but takes the write lock.
    private const string TakeWriteLockSql = "UPDATE integration_connector SET enabled = enabled WHERE 0;";

    private const int TaskColumns = 17;
    private const int SynchronizationColumns = 4;

    private static readonly string[] InsertTaskSql = InsertStatements(
        "INSERT INTO integration_task (id, guid, direction, task_type, data_type, object_type, object_id, site, payload, created_at, origin_connector, policy, object_guid, object_code_name, object_display_name, trace_parent, trace_state) VALUES ",
        TaskColumns, "", MaxTasksPerStatement);

    private static readonly string[] InsertSynchronizationSql = InsertStatements(
        "INSERT INTO integration_synchronization (connector_id, direction, task_id, ordering_key, status, attempts) VALUES ",
        SynchronizationColumns, ", 0, 0", MaxSynchronizationsPerStatement);

    /// <summary>Appends tasks; see <see cref="QueueStore.AppendAsync"/>.</summary>
    /// <param name="tasks">The tasks.</param>
    /// <param name="transaction">The caller's transaction, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The new task IDs, in order.</returns>
    public async Task<IReadOnlyList<long>> AppendAsync(IReadOnlyList<NewIntegrationTask> tasks, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        foreach (var task in tasks)
        {
            ArgumentNullException.ThrowIfNull(task);
            task.Validate();
        }

        if (tasks.Count == 0)
        {
            return [];
        }

        if (transaction is not null)
        {
            var callerTransaction = CheckCallerTransaction(transaction);
            return Write(callerTransaction.Connection!, callerTransaction, tasks, null, cancellationToken);
        }

        var scope = await database.BeginWriteAsync(cancellationToken).ConfigureAwait(false);
        await using (scope.ConfigureAwait(false))
        {
            var ids = Write(scope.Connection, scope.Transaction, tasks, scope, cancellationToken);
            await scope.CommitAsync(cancellationToken).ConfigureAwait(false);
            return ids;
        }
    }

    /// <summary>Appends tasks synchronously inside the caller's transaction; see <see cref="QueueStore.Append"/>.</summary>
    /// <param name="tasks">The tasks.</param>
    /// <param name="transaction">The caller's transaction.</param>
    /// <returns>The new task IDs, in order.</returns>
    public IReadOnlyList<long> Append(IReadOnlyList<NewIntegrationTask> tasks, DbTransaction transaction)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        ArgumentNullException.ThrowIfNull(transaction);
        foreach (var task in tasks)
        {
            ArgumentNullException.ThrowIfNull(task);
            task.Validate();
        }

        var callerTransaction = CheckCallerTransaction(transaction);
        return tasks.Count == 0 ? [] : Write(callerTransaction.Connection!, callerTransaction, tasks, null, CancellationToken.None);
    }

    private const string FindKeySql = "SELECT task_id, task_guid, created_at FROM integration_idempotency WHERE connector_id = @connector_id AND key = @key;";

    private const string RememberKeySql = """
        INSERT INTO integration_idempotency (connector_id, key, task_id, task_guid, created_at)
        VALUES (@connector_id, @key, @task_id, @task_guid, @created_at)
        ON CONFLICT (connector_id, key) DO UPDATE SET task_id = excluded.task_id, task_guid = excluded.task_guid, created_at = excluded.created_at;
        """;

    /// <summary>Appends incoming tasks under idempotency keys in one transaction; see <see cref="QueueStore.AppendIncomingAsync"/>.</summary>
    /// <param name="appends">The tasks with their keys and retention windows.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>One result per append.</returns>
    public async Task<IReadOnlyList<IncomingAppendResult>> AppendIncomingAsync(IReadOnlyList<IncomingAppend> appends, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(appends);
        foreach (var append in appends)
        {
            ArgumentNullException.ThrowIfNull(append);
            ArgumentNullException.ThrowIfNull(append.Task, nameof(appends));
            append.Task.Validate();
            if (append.Task.Connectors.Count != 1)
            {
                throw new ArgumentException($"Incoming task {append.Task.Guid} must name exactly one connector, the one it came from.", nameof(appends));
            }
        }

        var results = new IncomingAppendResult[appends.Count];
        if (appends.Count == 0)
        {
            return results;
        }

        var scope = await database.BeginWriteAsync(cancellationToken).ConfigureAwait(false);
        await using (scope.ConfigureAwait(false))
        {
            // Tasks keep their order: keyless runs are written together, each keyed task in its place.
            var fresh = new List<(int Index, NewIntegrationTask Task)>();
            for (var i = 0; i < appends.Count; i++)
            {
                var (task, key, notBefore) = appends[i];
                if (key is null)
                {
                    fresh.Add((i, task));
                    continue;
                }

                WriteFresh(scope, fresh, results, cancellationToken);

                var connectorId = database.GetOrCreateConnectorId(scope.Connection, scope.Transaction, task.Connectors[0], true, scope.CreatedConnectors);
                var find = scope.Prepared(FindKeySql, ("@connector_id", SqliteType.Integer), ("@key", SqliteType.Text));
                find.Parameters[0].Value = connectorId;
                find.Parameters[1].Value = key;
                using (var reader = find.ExecuteReader())
                {
                    if (reader.Read() && reader.GetInt64(2) >= SqliteValues.ToUnixMs(notBefore))
                    {
                        results[i] = new IncomingAppendResult(reader.GetInt64(0), Guid.Parse(reader.GetString(1)), Repeated: true);
                        continue;
                    }
                }

                // Written at once, so that a repeat later in the same batch finds the key.
                var id = Write(scope.Connection, scope.Transaction, [task], scope, cancellationToken)[0];
                var remember = scope.Prepared(
                    RememberKeySql,
                    ("@connector_id", SqliteType.Integer), ("@key", SqliteType.Text), ("@task_id", SqliteType.Integer), ("@task_guid", SqliteType.Text), ("@created_at", SqliteType.Integer));
                remember.Parameters[0].Value = connectorId;
                remember.Parameters[1].Value = key;
                remember.Parameters[2].Value = id;
                remember.Parameters[3].Value = task.Guid.ToString("D");
                remember.Parameters[4].Value = SqliteValues.ToUnixMs(task.CreatedAt);
                remember.ExecuteNonQuery();
                results[i] = new IncomingAppendResult(id, task.Guid, Repeated: false);
            }

            WriteFresh(scope, fresh, results, cancellationToken);
            await scope.CommitAsync(cancellationToken).ConfigureAwait(false);
            return results;
        }
    }

    /// <summary>Writes one task in the store's own write transaction and returns its ID.</summary>
    /// <param name="scope">The write transaction.</param>
    /// <param name="task">The task, already validated.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The new task's ID.</returns>
    internal long WriteOne(SqliteWriteScope scope, NewIntegrationTask task, CancellationToken cancellationToken) =>
        Write(scope.Connection, scope.Transaction, [task], scope, cancellationToken)[0];

    private void WriteFresh(SqliteWriteScope scope, List<(int Index, NewIntegrationTask Task)> fresh, IncomingAppendResult[] results, CancellationToken cancellationToken)
    {
        if (fresh.Count == 0)
        {
            return;
        }

        var ids = Write(scope.Connection, scope.Transaction, [.. fresh.Select(f => f.Task)], scope, cancellationToken);
        for (var j = 0; j < fresh.Count; j++)
        {
            results[fresh[j].Index] = new IncomingAppendResult(ids[j], fresh[j].Task.Guid, Repeated: false);
        }

        fresh.Clear();
    }

    /// <remarks>
    /// Synchronous on purpose: Microsoft.Data.Sqlite's async methods run synchronously anyway, and EF Core's
    /// synchronous SaveChanges appends through this same path. In the store's own transaction the writer's prepared
    /// statements are used; in the caller's, the write lock is taken first (see <see cref="NextTaskId"/>) and the
    /// statements are prepared for this call.
    /// </remarks>
    private long[] Write(SqliteConnection connection, SqliteTransaction transaction, IReadOnlyList<NewIntegrationTask> tasks, SqliteWriteScope? scope, CancellationToken cancellationToken)
    {
        using var statements = new Statements(connection, scope);
        var firstId = NextTaskId(connection, transaction, scope);
        var ids = new long[tasks.Count];
        for (var start = 0; start < tasks.Count;)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var rows = RowsForNextStatement(tasks.Count - start, MaxTasksPerStatement);
            var insert = statements.Get(InsertTaskSql[rows]);
            for (var row = 0; row < rows; row++)
            {
                var i = start + row;
                ids[i] = firstId + i;
                BindTask(insert, row * TaskColumns, ids[i], tasks[i]);
            }

            insert.Execute();
            start += rows;
        }

        WriteSynchronizations(connection, transaction, statements, tasks, ids, scope?.CreatedConnectors, cancellationToken);
        if (scope is not null)
        {
            scope.NextTaskId = firstId + tasks.Count;
        }

        return ids;
    }

    /// <summary>The first free task ID; in a caller's transaction, takes the write lock first and leaves the connection's checkpoints to the background.</summary>
    private long NextTaskId(SqliteConnection connection, SqliteTransaction transaction, SqliteWriteScope? scope)
    {
        if (scope is not null)
        {
            // Read once per write transaction: a batch of keyed incoming tasks writes them one at a time.
            return scope.NextTaskId ??= (long)scope.Prepared(NextTaskIdSql).ExecuteScalar()!;
        }

        // A caller's (deferred) transaction may not hold the write lock yet, and the positional inserts do not wait out
        // a busy database: the lock is taken here through Microsoft.Data.Sqlite, which does, before the ID is read.
        database.AdoptCheckpoints(connection, transaction);
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = TakeWriteLockSql + NextTaskIdSql;
        return (long)command.ExecuteScalar()!;
    }

    private static void BindTask(SqliteInsertStatement insert, int offset, long id, NewIntegrationTask task)
    {
        // In the order of the statement's columns.
        insert.Integer(offset + 1, id);
        insert.Text(offset + 2, task.Guid.ToString("D"));
        insert.Integer(offset + 3, (int)task.Direction);
        insert.Integer(offset + 4, (int)task.TaskType);
        insert.Integer(offset + 5, (int)task.DataType);
        insert.Text(offset + 6, task.ObjectType);
        insert.Integer(offset + 7, task.ObjectId);
        insert.Text(offset + 8, task.Site);
        insert.Text(offset + 9, task.Payload);
        insert.Integer(offset + 10, SqliteValues.ToUnixMs(task.CreatedAt));
        insert.Text(offset + 11, task.OriginConnector);
        insert.Integer(offset + 12, (int)task.Policy);
        insert.Blob(offset + 13, task.ObjectGuid);
        insert.Text(offset + 14, task.ObjectCodeName);
        insert.Text(offset + 15, task.ObjectDisplayName);
        insert.Text(offset + 16, task.TraceParent);
        insert.Text(offset + 17, task.TraceState);
    }

    private void WriteSynchronizations(
        SqliteConnection connection, SqliteTransaction transaction, Statements statements, IReadOnlyList<NewIntegrationTask> tasks, long[] ids,
        List<KeyValuePair<string, long>>? created, CancellationToken cancellationToken)
    {
        var connectorIds = new Dictionary<string, long>(StringComparer.Ordinal);
        var rows = new List<(long Connector, int Direction, long Task, string? OrderingKey)>(tasks.Count);
        for (var i = 0; i < tasks.Count; i++)
        {
            var task = tasks[i];
            for (var c = 0; c < task.Connectors.Count; c++)
            {
                var name = task.Connectors[c];
                if (!connectorIds.TryGetValue(name, out var connectorId))
                {
                    connectorId = database.GetOrCreateConnectorId(connection, transaction, name, created is not null, created);
                    connectorIds.Add(name, connectorId);
                }

                rows.Add((connectorId, (int)task.Direction, ids[i], task.OrderingKeys?[c]));
            }
        }

        for (var start = 0; start < rows.Count;)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var count = RowsForNextStatement(rows.Count - start, MaxSynchronizationsPerStatement);
            var insert = statements.Get(InsertSynchronizationSql[count]);
            for (var row = 0; row < count; row++)
            {
                var (connector, direction, task, orderingKey) = rows[start + row];
                var offset = row * SynchronizationColumns;
                insert.Integer(offset + 1, connector);
                insert.Integer(offset + 2, direction);
                insert.Integer(offset + 3, task);
                insert.Text(offset + 4, orderingKey);
            }

            insert.Execute();
            start += count;
        }
    }

    /// <summary>The largest power of two not above the rows left and the statement's maximum.</summary>
    private static int RowsForNextStatement(int left, int max) => Math.Min(max, 1 << (31 - System.Numerics.BitOperations.LeadingZeroCount((uint)left)));

    /// <summary>The insert statements for 1, 2, 4, … up to <paramref name="max"/> rows, indexed by their row count (other slots empty).</summary>
    private static string[] InsertStatements(string head, int columns, string constants, int max)
    {
        var statements = new string[max + 1];
        for (var rows = 1; rows <= max; rows *= 2)
        {
            var sql = new System.Text.StringBuilder(head);
            for (var row = 0; row < rows; row++)
            {
                sql.Append(row == 0 ? "(" : ", (");
                for (var column = 1; column <= columns; column++)
                {
                    sql.Append(column == 1 ? "?" : ", ?").Append((row * columns) + column);
                }

                sql.Append(constants).Append(')');
            }

            statements[rows] = sql.Append(';').ToString();
        }

        return statements;
    }

    /// <summary>The insert statements of one write: the writer's kept ones in the store's own transaction, else prepared for this write.</summary>
    private sealed class Statements(SqliteConnection connection, SqliteWriteScope? scope) : IDisposable
    {
        private Dictionary<string, SqliteInsertStatement>? _own;

        public SqliteInsertStatement Get(string sql)
        {
            if (scope is not null)
            {
                return scope.Insert(sql);
            }

            _own ??= new(StringComparer.Ordinal);
            if (!_own.TryGetValue(sql, out var statement))
            {
                statement = SqliteInsertStatement.Prepare(connection, sql);
                _own.Add(sql, statement);
            }

            return statement;
        }

        public void Dispose()
        {
            if (_own is null)
            {
                return;
            }

            foreach (var statement in _own.Values)
            {
                statement.Dispose();
            }
        }
    }

    private SqliteTransaction CheckCallerTransaction(DbTransaction transaction)
    {
        if (transaction is not SqliteTransaction sqliteTransaction)
        {
            throw new ArgumentException(
                $"The SQLite task store can only append inside a SqliteTransaction, not a {transaction.GetType().FullName}. Pass a transaction of a Microsoft.Data.Sqlite connection to the bus database, or null.",
                nameof(transaction));
        }

        if (sqliteTransaction.Connection is not { } connection)
        {
            throw new ArgumentException("The transaction has already been committed or rolled back. Append the tasks before the transaction completes.", nameof(transaction));
        }

        var expected = database.DataSource;
        var comparison = OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        if (string.IsNullOrEmpty(expected) || !string.Equals(connection.DataSource, expected, comparison))
        {
            throw new ArgumentException(
                $"The transaction belongs to the SQLite database '{connection.DataSource}', but the task store uses '{expected}'. Tasks can only be appended in a transaction on the bus database; use the store's database for the change, or pass null.",
                nameof(transaction));
        }

        return sqliteTransaction;
    }
}
