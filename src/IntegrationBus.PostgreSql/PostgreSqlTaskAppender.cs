using System.Data.Common;
using IntegrationBus.Storage;
using Npgsql;
using NpgsqlTypes;

namespace IntegrationBus.PostgreSql;

/// <summary>Appends tasks in one transaction, the store's own or the caller's, with one wake-up per queue sent on commit.</summary>
/// <remarks>
/// <para>
/// A batch is two round trips whatever its size: one <c>INSERT … SELECT FROM unnest(…)</c> of the task rows (each column
/// one array parameter, so the statement text never changes and Npgsql can prepare it) returning the new IDs; then one
/// batch with the synchronization rows (again from arrays) and one <c>pg_notify</c> per queue. The IDs of one statement
/// ascend in row order (the identity is drawn row by row in <c>ORDINALITY</c> order), so the sorted IDs are the tasks'.
/// </para>
/// <para>
/// <c>pg_notify</c> runs inside the appending transaction, so listeners hear it only when it commits and never after a
/// rollback. Its payload is the same for the same queue, and PostgreSQL delivers identical payloads on a channel once per
/// transaction: an application transaction that appends several times wakes each queue once. No trigger is involved.
/// </para>
/// </remarks>
internal sealed class PostgreSqlTaskAppender(PostgreSqlDatabase database)
{
    private const string InsertTasksSql = """
        INSERT INTO ibus.integration_task (guid, direction, task_type, data_type, object_type, object_id, site, payload, created_at,
            origin_connector, policy, object_guid, object_code_name, object_display_name, trace_parent, trace_state, connector_count)
        SELECT u.guid, u.direction, u.task_type, u.data_type, u.object_type, u.object_id, u.site, u.payload, u.created_at,
            u.origin_connector, u.policy, u.object_guid, u.object_code_name, u.object_display_name, u.trace_parent, u.trace_state, u.connector_count
        FROM unnest(@guid, @direction, @task_type, @data_type, @object_type, @object_id, @site, @payload, @created_at,
            @origin_connector, @policy, @object_guid, @object_code_name, @object_display_name, @trace_parent, @trace_state, @connector_count)
            WITH ORDINALITY AS u(guid, direction, task_type, data_type, object_type, object_id, site, payload, created_at,
            origin_connector, policy, object_guid, object_code_name, object_display_name, trace_parent, trace_state, connector_count, ord)
        ORDER BY u.ord
        RETURNING id;
        """;

    private const string InsertSynchronizationsSql = """
        INSERT INTO ibus.integration_synchronization (connector_id, direction, task_id, ordering_key)
        SELECT * FROM unnest(@connector_id, @direction, @task_id, @ordering_key);
        """;

    private const string NotifySql = "SELECT pg_notify(@channel, p) FROM unnest(@payloads) AS p;";

    /// <summary>Appends tasks; see <see cref="QueueStore.AppendAsync"/>.</summary>
    /// <param name="tasks">The tasks.</param>
    /// <param name="transaction">The caller's transaction, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The new task IDs, in order.</returns>
    public async Task<IReadOnlyList<long>> AppendAsync(IReadOnlyList<NewIntegrationTask> tasks, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        PostgreSqlTaskValidation.Validate(tasks);
        if (transaction is not null)
        {
            var caller = CheckCallerTransaction(transaction);
            return tasks.Count == 0 ? [] : await WriteAsync(caller.Connection!, caller, tasks, null, async: true, cancellationToken).ConfigureAwait(false);
        }

        if (tasks.Count == 0)
        {
            return [];
        }

        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var own = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (own.ConfigureAwait(false))
            {
                var found = new List<KeyValuePair<string, long>>();
                var ids = await WriteAsync(connection, own, tasks, found, async: true, cancellationToken).ConfigureAwait(false);
                await own.CommitAsync(cancellationToken).ConfigureAwait(false);
                database.CacheConnectorIds(found);
                return ids;
            }
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
        PostgreSqlTaskValidation.Validate(tasks);
        var caller = CheckCallerTransaction(transaction);
        return tasks.Count == 0 ? [] : PostgreSqlSync.RunSynchronously(WriteAsync(caller.Connection!, caller, tasks, null, async: false, CancellationToken.None));
    }

    /// <summary>Appends tasks on a connection enlisted in the ambient transaction; see <see cref="QueueStore.AppendEnlistedAsync"/>.</summary>
    /// <param name="tasks">The tasks.</param>
    /// <param name="connection">The caller's open, enlisted connection.</param>
    /// <param name="async">Whether to run asynchronously.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The new task IDs, in order.</returns>
    public async ValueTask<IReadOnlyList<long>> AppendEnlistedAsync(IReadOnlyList<NewIntegrationTask> tasks, DbConnection connection, bool async, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        ArgumentNullException.ThrowIfNull(connection);
        PostgreSqlTaskValidation.Validate(tasks);
        var enlisted = CheckEnlistedConnection(connection);

        // Npgsql runs the commands of an enlisted connection in the local transaction it began for the ambient one.
        return tasks.Count == 0 ? [] : await WriteAsync(enlisted, null, tasks, null, async, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes tasks, their synchronization rows and one wake-up per queue in a transaction.</summary>
    /// <param name="connection">The transaction's connection.</param>
    /// <param name="transaction">The transaction.</param>
    /// <param name="tasks">The validated tasks.</param>
    /// <param name="found">Receives connector IDs to cache once the store's own transaction commits; <see langword="null"/> in the caller's.</param>
    /// <param name="async">Whether to run asynchronously.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The new task IDs, in order.</returns>
    internal async ValueTask<long[]> WriteAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, IReadOnlyList<NewIntegrationTask> tasks,
        List<KeyValuePair<string, long>>? found, bool async, CancellationToken cancellationToken)
    {
        var connectorIds = await PostgreSqlConnectors.GetOrCreateAsync(
            database, connection, transaction, tasks.SelectMany(t => t.Connectors), found ?? [], async, cancellationToken).ConfigureAwait(false);
        var ids = new long[tasks.Count];
        using (var insert = database.Command(connection, transaction, InsertTasksSql))
        {
            AddTaskArrays(insert.Parameters, tasks);
            var reader = async ? await insert.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false) : insert.ExecuteReader();
            try
            {
                for (var i = 0; async ? await reader.ReadAsync(cancellationToken).ConfigureAwait(false) : reader.Read(); i++)
                {
                    ids[i] = reader.GetInt64(0);
                }
            }
            finally
            {
                await PostgreSqlSync.DisposeAsync(reader, async).ConfigureAwait(false);
            }
        }

        Array.Sort(ids);
        using var batch = database.Batch(connection, transaction);
        AddSynchronizations(database.Add(batch, InsertSynchronizationsSql).Parameters, tasks, ids, connectorIds);
        var notify = database.Add(batch, NotifySql).Parameters;
        notify.AddWithValue("channel", database.Channel);
        var payloads = tasks.SelectMany(t => t.Connectors.Select(c => PostgreSqlNotification.QueueChanged(c, t.Direction))).Distinct(StringComparer.Ordinal).ToArray();
        notify.Add(new NpgsqlParameter<string[]>("payloads", NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = payloads });
        _ = async ? await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) : batch.ExecuteNonQuery();
        return ids;
    }

    private static void AddTaskArrays(NpgsqlParameterCollection parameters, IReadOnlyList<NewIntegrationTask> tasks)
    {
        var count = tasks.Count;
        var guid = new Guid[count];
        var direction = new short[count];
        var taskType = new short[count];
        var dataType = new short[count];
        var objectType = new string[count];
        var objectId = new long?[count];
        var site = new string?[count];
        var payload = new string[count];
        var createdAt = new DateTime[count];
        var origin = new string?[count];
        var policy = new short[count];
        var objectGuid = new Guid?[count];
        var codeName = new string?[count];
        var displayName = new string?[count];
        var traceParent = new string?[count];
        var traceState = new string?[count];
        var connectorCount = new short[count];
        for (var i = 0; i < count; i++)
        {
            var task = tasks[i];
            guid[i] = task.Guid;
            direction[i] = (short)task.Direction;
            taskType[i] = (short)task.TaskType;
            dataType[i] = (short)task.DataType;
            objectType[i] = task.ObjectType;
            objectId[i] = task.ObjectId;
            site[i] = task.Site;
            payload[i] = task.Payload;
            createdAt[i] = PostgreSqlValues.ToDb(task.CreatedAt);
            origin[i] = task.OriginConnector;
            policy[i] = (short)task.Policy;
            objectGuid[i] = task.ObjectGuid;
            codeName[i] = task.ObjectCodeName;
            displayName[i] = task.ObjectDisplayName;
            traceParent[i] = task.TraceParent;
            traceState[i] = task.TraceState;
            connectorCount[i] = (short)Math.Min(task.Connectors.Count, short.MaxValue);
        }

        parameters.Add(ArrayParameter("guid", NpgsqlDbType.Uuid, guid));
        parameters.Add(ArrayParameter("direction", NpgsqlDbType.Smallint, direction));
        parameters.Add(ArrayParameter("task_type", NpgsqlDbType.Smallint, taskType));
        parameters.Add(ArrayParameter("data_type", NpgsqlDbType.Smallint, dataType));
        parameters.Add(ArrayParameter("object_type", NpgsqlDbType.Text, objectType));
        parameters.Add(ArrayParameter("object_id", NpgsqlDbType.Bigint, objectId));
        parameters.Add(ArrayParameter("site", NpgsqlDbType.Text, site));
        parameters.Add(ArrayParameter("payload", NpgsqlDbType.Text, payload));
        parameters.Add(ArrayParameter("created_at", NpgsqlDbType.TimestampTz, createdAt));
        parameters.Add(ArrayParameter("origin_connector", NpgsqlDbType.Text, origin));
        parameters.Add(ArrayParameter("policy", NpgsqlDbType.Smallint, policy));
        parameters.Add(ArrayParameter("object_guid", NpgsqlDbType.Uuid, objectGuid));
        parameters.Add(ArrayParameter("object_code_name", NpgsqlDbType.Text, codeName));
        parameters.Add(ArrayParameter("object_display_name", NpgsqlDbType.Text, displayName));
        parameters.Add(ArrayParameter("trace_parent", NpgsqlDbType.Text, traceParent));
        parameters.Add(ArrayParameter("trace_state", NpgsqlDbType.Text, traceState));
        parameters.Add(ArrayParameter("connector_count", NpgsqlDbType.Smallint, connectorCount));
    }

    private static void AddSynchronizations(NpgsqlParameterCollection parameters, IReadOnlyList<NewIntegrationTask> tasks, long[] ids, Dictionary<string, long> connectorIds)
    {
        var count = tasks.Sum(t => t.Connectors.Count);
        var connector = new long[count];
        var direction = new short[count];
        var taskId = new long[count];
        var orderingKey = new string?[count];
        var row = 0;
        for (var i = 0; i < tasks.Count; i++)
        {
            var keys = tasks[i].OrderingKeys;
            for (var c = 0; c < tasks[i].Connectors.Count; c++)
            {
                var name = tasks[i].Connectors[c];
                orderingKey[row] = keys?[c];
                connector[row] = connectorIds[name];
                direction[row] = (short)tasks[i].Direction;
                taskId[row] = ids[i];
                row++;
            }
        }

        parameters.Add(ArrayParameter("connector_id", NpgsqlDbType.Bigint, connector));
        parameters.Add(ArrayParameter("direction", NpgsqlDbType.Smallint, direction));
        parameters.Add(ArrayParameter("task_id", NpgsqlDbType.Bigint, taskId));
        parameters.Add(ArrayParameter("ordering_key", NpgsqlDbType.Text, orderingKey));
    }

    private static NpgsqlParameter<T[]> ArrayParameter<T>(string name, NpgsqlDbType elementType, T[] values)
        => new(name, NpgsqlDbType.Array | elementType) { TypedValue = values };

    private NpgsqlTransaction CheckCallerTransaction(DbTransaction transaction)
    {
        if (transaction is not NpgsqlTransaction npgsqlTransaction)
        {
            throw new ArgumentException(
                $"The PostgreSQL task store can only append inside an NpgsqlTransaction, not a {transaction.GetType().FullName}. Pass a transaction of an Npgsql connection to the bus database, or null.",
                nameof(transaction));
        }

        if (npgsqlTransaction.Connection is not { } connection)
        {
            throw new ArgumentException("The transaction has already been committed or rolled back. Append the tasks before the transaction completes.", nameof(transaction));
        }

        CheckDatabase(connection, nameof(transaction));
        return npgsqlTransaction;
    }

    private NpgsqlConnection CheckEnlistedConnection(DbConnection connection)
    {
        if (connection is not NpgsqlConnection npgsqlConnection)
        {
            throw new ArgumentException($"The PostgreSQL task store can only append on an NpgsqlConnection, not a {connection.GetType().FullName}.", nameof(connection));
        }

        if (npgsqlConnection.State != System.Data.ConnectionState.Open)
        {
            throw new ArgumentException("The connection is not open. Append the tasks on the open connection that takes part in the ambient transaction.", nameof(connection));
        }

        if (System.Transactions.Transaction.Current is null)
        {
            throw new InvalidOperationException("There is no ambient System.Transactions transaction to append the tasks in; pass a transaction to AppendAsync instead.");
        }

        if (!new NpgsqlConnectionStringBuilder(npgsqlConnection.ConnectionString).Enlist)
        {
            // Each statement would commit on its own: a task could be left without its synchronization rows.
            throw new ArgumentException("The connection does not take part in ambient transactions (Enlist=false in its connection string), so the tasks would not commit with it. Remove Enlist=false, or pass a transaction to AppendAsync.", nameof(connection));
        }

        CheckDatabase(npgsqlConnection, nameof(connection));
        return npgsqlConnection;
    }

    /// <summary>Refuses a transaction or connection (named by <paramref name="parameterName"/>) on another database than the store's.</summary>
    private void CheckDatabase(NpgsqlConnection connection, string parameterName)
    {
        if (database.DatabaseName is { } expected && !string.IsNullOrEmpty(connection.Database) && !string.Equals(connection.Database, expected, StringComparison.Ordinal))
        {
            throw new ArgumentException(
                $"The {parameterName} belongs to the PostgreSQL database '{connection.Database}', but the task store uses '{expected}' (schema '{database.Schema}'). Tasks can only be appended in a transaction on the bus database; use the store's database for the change, or pass null.",
                parameterName);
        }
    }
}
