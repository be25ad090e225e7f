using System.Data.Common;
using Microsoft.Data.Sqlite;
using IntegrationBus.Storage;

namespace IntegrationBus.Sqlite;

/// <summary>Appends tasks in one transaction, the store's own or the caller's.</summary>
internal sealed class SqliteTaskAppender(SqliteDatabase database)
{
    // Positional parameters, bound by SqliteInsertStatement in this order.
    private const string InsertTaskSql = """
        INSERT INTO integration_task (guid, direction, task_type, data_type, object_type, object_id, site, payload, created_at, origin_connector, policy,
            object_guid, object_code_name, object_display_name, trace_parent, trace_state)
        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16);
        """;

    private const string InsertSynchronizationSql = """
        INSERT INTO integration_synchronization (connector_id, direction, task_id, status, attempts, ordering_key)
        VALUES (?1, ?2, ?3, 0, 0, ?4);
        """;

    // A write statement that changes nothing but takes the write lock, run through Microsoft.Data.Sqlite (which waits
    // out a busy database) before the positional inserts in a caller's transaction that may not hold the lock yet.
    private const string TakeWriteLockSql = "UPDATE integration_connector SET enabled = enabled WHERE 0;";

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
            using var find = scope.CreateCommand("SELECT task_id, task_guid, created_at FROM integration_idempotency WHERE connector_id = @connector_id AND key = @key;");
            var findConnector = SqliteValues.Add(find, "@connector_id", SqliteType.Integer);
            var findKey = SqliteValues.Add(find, "@key", SqliteType.Text);
            using var remember = scope.CreateCommand("""
                INSERT INTO integration_idempotency (connector_id, key, task_id, task_guid, created_at)
                VALUES (@connector_id, @key, @task_id, @task_guid, @created_at)
                ON CONFLICT (connector_id, key) DO UPDATE SET task_id = excluded.task_id, task_guid = excluded.task_guid, created_at = excluded.created_at;
                """);
            var rememberConnector = SqliteValues.Add(remember, "@connector_id", SqliteType.Integer);
            var rememberKey = SqliteValues.Add(remember, "@key", SqliteType.Text);
            var rememberTask = SqliteValues.Add(remember, "@task_id", SqliteType.Integer);
            var rememberGuid = SqliteValues.Add(remember, "@task_guid", SqliteType.Text);
            var rememberAt = SqliteValues.Add(remember, "@created_at", SqliteType.Integer);
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
                findConnector.Value = connectorId;
                findKey.Value = key;
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
                rememberConnector.Value = connectorId;
                rememberKey.Value = key;
                rememberTask.Value = id;
                rememberGuid.Value = task.Guid.ToString("D");
                rememberAt.Value = SqliteValues.ToUnixMs(task.CreatedAt);
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
    /// statements are used; in the caller's, the write lock is taken first (waiting out a busy database) and the
    /// statements are prepared for this call.
    /// </remarks>
    private long[] Write(SqliteConnection connection, SqliteTransaction transaction, IReadOnlyList<NewIntegrationTask> tasks, SqliteWriteScope? scope, CancellationToken cancellationToken)
    {
        if (scope is not null)
        {
            return Write(connection, transaction, scope.Insert(InsertTaskSql), scope.Insert(InsertSynchronizationSql), tasks, scope.CreatedConnectors, cancellationToken);
        }

        using (var takeLock = connection.CreateCommand())
        {
            takeLock.Transaction = transaction;
            takeLock.CommandText = TakeWriteLockSql;
            takeLock.ExecuteNonQuery();
        }

        using var insertTask = SqliteInsertStatement.Prepare(connection, InsertTaskSql);
        using var insertSynchronization = SqliteInsertStatement.Prepare(connection, InsertSynchronizationSql);
        return Write(connection, transaction, insertTask, insertSynchronization, tasks, null, cancellationToken);
    }

    private long[] Write(
        SqliteConnection connection, SqliteTransaction transaction, SqliteInsertStatement insertTask, SqliteInsertStatement insertSynchronization,
        IReadOnlyList<NewIntegrationTask> tasks, List<KeyValuePair<string, long>>? created, CancellationToken cancellationToken)
    {
        var ownTransaction = created is not null;
        var connectorIds = new Dictionary<string, long>(StringComparer.Ordinal);
        var ids = new long[tasks.Count];
        for (var i = 0; i < tasks.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var next = tasks[i];
            // In the order of InsertTaskSql's columns.
            insertTask.Text(1, next.Guid.ToString("D"));
            insertTask.Integer(2, (int)next.Direction);
            insertTask.Integer(3, (int)next.TaskType);
            insertTask.Integer(4, (int)next.DataType);
            insertTask.Text(5, next.ObjectType);
            insertTask.Integer(6, next.ObjectId);
            insertTask.Text(7, next.Site);
            insertTask.Text(8, next.Payload);
            insertTask.Integer(9, SqliteValues.ToUnixMs(next.CreatedAt));
            insertTask.Text(10, next.OriginConnector);
            insertTask.Integer(11, (int)next.Policy);
            insertTask.Blob(12, next.ObjectGuid);
            insertTask.Text(13, next.ObjectCodeName);
            insertTask.Text(14, next.ObjectDisplayName);
            insertTask.Text(15, next.TraceParent);
            insertTask.Text(16, next.TraceState);
            insertTask.Execute();
            var id = SQLitePCL.raw.sqlite3_last_insert_rowid(connection.Handle);
            ids[i] = id;

            insertSynchronization.Integer(2, (int)next.Direction);
            insertSynchronization.Integer(3, id);
            var keys = next.OrderingKeys;
            for (var c = 0; c < next.Connectors.Count; c++)
            {
                var name = next.Connectors[c];
                if (!connectorIds.TryGetValue(name, out var connectorId))
                {
                    connectorId = database.GetOrCreateConnectorId(connection, transaction, name, ownTransaction, created);
                    connectorIds.Add(name, connectorId);
                }

                insertSynchronization.Integer(1, connectorId);
                insertSynchronization.Text(4, keys?[c]);
                insertSynchronization.Execute();
            }
        }

        return ids;
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
