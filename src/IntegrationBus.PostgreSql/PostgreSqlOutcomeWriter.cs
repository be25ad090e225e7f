using IntegrationBus.Storage;
using Npgsql;
using NpgsqlTypes;

namespace IntegrationBus.PostgreSql;

/// <summary>Writes one <see cref="QueueStore.RecordAsync"/> batch as one database batch (one round trip).</summary>
/// <remarks>
/// <para>
/// The batch runs after the statement that checks and locks the lease (<see cref="PostgreSqlLeaseSql.CheckAndLock"/>),
/// in the same round trip and so in the same implicit transaction, and every statement that records something is
/// conditioned on the lease (<see cref="LeaseGuard"/>): when the check finds the lease stale, the same condition is false
/// in every later statement (a token never comes back), so nothing is written; when it finds it current, its row lock
/// keeps it current until the batch commits. The statements that only lock task rows or delete what has no
/// synchronization row left need no condition: they are right whoever runs them.
/// </para>
/// <para>
/// Outcomes travel as arrays: the errors in one <c>UPDATE … FROM unnest(…)</c> that also adds their attempt-log rows,
/// the acknowledgements (OK and discards) through <see cref="PostgreSqlTaskCleanup"/>, after copying the OK ones to the
/// history when asked. The task rows of acknowledgements are locked first, before any synchronization row is touched.
/// OKs that carry an external ID (or forget one) change the ID map in two statements before the task rows go.
/// </para>
/// <para>
/// When the runner says that every task of the batch was appended to this queue only
/// (<see cref="RecordRequest.SingleQueueTasks"/>, from the <c>connector_count</c> the fetch read), the acknowledgement is
/// one statement that deletes the synchronization rows, their tasks and the tasks' attempts: no task row is locked and
/// no other queue's rows are looked for, since there are none (measured on a batch of 100: those statements took
/// 0.4 ms of the server's 2 ms and found nothing).
/// </para>
/// </remarks>
internal sealed class PostgreSqlOutcomeWriter(PostgreSqlDatabase database, long connectorId, QueueLease lease, bool keepHistory, bool singleQueueTasks)
{
    /// <summary>The condition that the batch's lease is still the queue's current one (parameters <c>@token</c> and <c>@owner</c>).</summary>
    /// <remarks>The same test as <see cref="PostgreSqlLeaseSql.CheckAndLock"/>, which runs first in the batch and locks the row.</remarks>
    internal const string LeaseGuard = """
        EXISTS (SELECT 1 FROM ibus.integration_lease l
            WHERE l.connector_id = @connector_id AND l.direction = @direction AND l.partition_no = @partition AND l.token = @token AND l.owner = @owner)
        """;


    private const string ErrorsSql = $"""
        WITH o AS (
            SELECT * FROM unnest(@task_id, @status, @message, @run_at, @next_attempt_at, @result, @details)
                WITH ORDINALITY AS o(task_id, status, message, run_at, next_attempt_at, result, details, ord)),
        u AS (
            UPDATE ibus.integration_synchronization s
            SET status = o.status, attempts = s.attempts + 1, last_error = o.message, last_run_at = o.run_at, next_attempt_at = o.next_attempt_at
            FROM o
            WHERE s.connector_id = @connector_id AND s.direction = @direction AND s.task_id = o.task_id
              AND s.task_id BETWEEN @first_task_id AND @last_task_id AND {LeaseGuard}
            RETURNING s.task_id)
        INSERT INTO ibus.integration_attempt (task_id, connector_id, direction, attempted_at, result, message, details)
        SELECT o.task_id, @connector_id, @direction, o.run_at, o.result, o.message, o.details
        FROM o
        WHERE o.task_id IN (SELECT task_id FROM u)
        ORDER BY o.ord;
        """;

    private const string CopyToHistorySql = $"""
        INSERT INTO ibus.integration_history (task_id, guid, direction, task_type, data_type, object_type, object_id, object_guid,
            object_code_name, object_display_name, site, payload, created_at, origin_connector, policy, connector_id, delivered_at, attempts)
        SELECT t.id, t.guid, t.direction, t.task_type, t.data_type, t.object_type, t.object_id, t.object_guid,
            t.object_code_name, t.object_display_name, t.site, t.payload, t.created_at, t.origin_connector, t.policy, s.connector_id, d.delivered_at, s.attempts
        FROM unnest(@delivered_task_id, @delivered_at) WITH ORDINALITY AS d(task_id, delivered_at, ord)
        JOIN ibus.integration_synchronization s ON s.connector_id = @connector_id AND s.direction = @direction AND s.task_id = d.task_id
            AND s.task_id BETWEEN @first_task_id AND @last_task_id
        JOIN ibus.integration_task t ON t.id = s.task_id
        WHERE {LeaseGuard}
        ORDER BY d.ord;
        """;

    // The range on task_id (the batch's first and last ID) makes it an index condition of the primary key: without it
    // PostgreSQL 15 plans "= ANY" on the key's third column as a filter over the whole queue (measured: 4 ms per batch
    // of 100 with 10,000 queued, growing with the queue).
    // A task appended for one connector goes in the same statement as its one synchronization row (only when this
    // statement deleted that row); the others are left to PostgreSqlTaskCleanup.AddAcknowledgedCleanup.
    private const string AcknowledgeSql = $"""
        WITH acknowledged AS (
            DELETE FROM ibus.integration_synchronization
            WHERE connector_id = @connector_id AND direction = @direction AND task_id BETWEEN @first_task_id AND @last_task_id
              AND task_id = ANY(@task_ids) AND {LeaseGuard}
            RETURNING task_id)
        DELETE FROM ibus.integration_task t
        USING acknowledged a
        WHERE t.id = a.task_id AND t.connector_count = 1;
        """;

    /// <summary>
    /// <see cref="AcknowledgeSql"/> for a batch whose tasks were all appended to this queue only: every task goes with its
    /// synchronization row, and its attempts with it. <c>connector_count = 1</c> is checked all the same.
    /// </summary>
    private const string AcknowledgeSingleQueueSql = $"""
        WITH acknowledged AS (
            DELETE FROM ibus.integration_synchronization
            WHERE connector_id = @connector_id AND direction = @direction AND task_id BETWEEN @first_task_id AND @last_task_id
              AND task_id = ANY(@task_ids) AND {LeaseGuard}
            RETURNING task_id),
        gone AS (
            DELETE FROM ibus.integration_task t
            USING acknowledged a
            WHERE t.id = a.task_id AND t.connector_count = 1
            RETURNING t.id)
        DELETE FROM ibus.integration_attempt
        WHERE task_id IN (SELECT id FROM gone);
        """;

    /// <summary>The batch's ID-map changes, the last per object wins: an external ID maps the object, none (a delete) forgets it.</summary>
    private const string IdMapChangesSql = $"""
        WITH o AS (
            SELECT * FROM unnest(@map_task_id, @map_external_id, @map_kind, @map_at) WITH ORDINALITY AS o(task_id, external_id, kind, at, ord)),
        last AS (
            SELECT DISTINCT ON (t.object_type, t.object_guid) t.object_type, t.object_guid, t.object_id, o.external_id, o.kind, o.at, o.ord
            FROM o JOIN ibus.integration_task t ON t.id = o.task_id
            WHERE t.object_guid IS NOT NULL AND {LeaseGuard}
            ORDER BY t.object_type, t.object_guid, o.ord DESC)
        """;

    /// <summary>Removes the entries of forgotten objects, and other objects' entries of the external IDs about to be mapped (an external ID names one object).</summary>
    private const string IdMapDeleteSql = IdMapChangesSql + """
        DELETE FROM ibus.integration_id_map m
        USING last
        WHERE m.connector_id = @connector_id AND m.object_type = last.object_type
          AND ((last.external_id IS NULL AND m.object_guid = last.object_guid)
            OR (last.external_id IS NOT NULL AND m.external_id = last.external_id AND m.object_guid <> last.object_guid));
        """;

    private const string IdMapUpsertSql = IdMapChangesSql + """
        , u AS (
            SELECT DISTINCT ON (object_type, external_id) * FROM last WHERE external_id IS NOT NULL ORDER BY object_type, external_id, ord DESC)
        INSERT INTO ibus.integration_id_map AS m (connector_id, object_type, object_guid, object_id, external_id, external_id_kind, created_at, updated_at)
        SELECT @connector_id, object_type, object_guid, object_id, external_id, kind, at, at FROM u
        ON CONFLICT (connector_id, object_type, object_guid) DO UPDATE SET
            object_id = COALESCE(excluded.object_id, m.object_id), external_id = excluded.external_id,
            external_id_kind = excluded.external_id_kind, updated_at = excluded.updated_at;
        """;

    private readonly List<long> _acknowledged = [];
    private readonly List<TaskOutcome> _idMap = [];
    private readonly List<(long TaskId, DateTime At)> _delivered = [];
    private readonly List<TaskOutcome> _errors = [];

    /// <summary>Collects one outcome.</summary>
    /// <param name="outcome">The outcome.</param>
    public void Add(in TaskOutcome outcome)
    {
        switch (outcome.Result)
        {
            case TaskResultKind.SkipNow:
                break;
            case TaskResultKind.Ok:
            case TaskResultKind.Error or TaskResultKind.ErrorAndSkip when outcome.Discard:
                if (outcome.Result == TaskResultKind.Ok && (outcome.ExternalId is not null || outcome.ForgetExternalId))
                {
                    _idMap.Add(outcome);
                }

                _acknowledged.Add(outcome.TaskId);
                if (keepHistory && outcome.Result == TaskResultKind.Ok && !outcome.Discard)
                {
                    _delivered.Add((outcome.TaskId, PostgreSqlValues.ToDb(outcome.AttemptedAt)));
                }

                break;
            case TaskResultKind.Error or TaskResultKind.ErrorAndSkip:
                _errors.Add(outcome);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(outcome), outcome.Result, $"Task {outcome.TaskId} has an unknown result {outcome.Result}.");
        }
    }

    /// <summary>Adds the statement that checks the lease and locks its row (<see cref="PostgreSqlLeaseSql.CheckAndLock"/>): the batch's first.</summary>
    /// <param name="batch">The batch, without a transaction of the connection's.</param>
    public void AddLeaseCheck(NpgsqlBatch batch) => AddLease(database.Add(batch, PostgreSqlLeaseSql.CheckAndLock).Parameters);

    /// <summary>Adds the statements for the collected outcomes to a batch.</summary>
    /// <param name="batch">The batch, after the statement that checks and locks the lease.</param>
    public void AddTo(NpgsqlBatch batch)
    {
        var acknowledged = _acknowledged.Distinct().Order().ToArray();
        if (acknowledged.Length > 0 && !singleQueueTasks)
        {
            PostgreSqlTaskCleanup.AddLock(database, batch, acknowledged);
        }

        if (_errors.Count > 0)
        {
            AddErrors(batch);
        }

        if (_idMap.Count > 0)
        {
            // Before the cleanup below deletes the task rows the statements read the objects from.
            AddIdMap(batch, IdMapDeleteSql);
            AddIdMap(batch, IdMapUpsertSql);
        }

        if (_delivered.Count > 0)
        {
            var copy = database.Add(batch, CopyToHistorySql).Parameters;
            AddQueue(copy, _delivered.Min(d => d.TaskId), _delivered.Max(d => d.TaskId));
            copy.Add(new NpgsqlParameter<long[]>("delivered_task_id", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { TypedValue = [.. _delivered.Select(d => d.TaskId)] });
            copy.Add(new NpgsqlParameter<DateTime[]>("delivered_at", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { TypedValue = [.. _delivered.Select(d => d.At)] });
        }

        if (acknowledged.Length > 0)
        {
            var delete = database.Add(batch, singleQueueTasks ? AcknowledgeSingleQueueSql : AcknowledgeSql).Parameters;
            AddQueue(delete, acknowledged[0], acknowledged[^1]);
            delete.Add(PostgreSqlTaskCleanup.Ids(acknowledged));
            if (!singleQueueTasks)
            {
                PostgreSqlTaskCleanup.AddAcknowledgedCleanup(database, batch, acknowledged);
            }
        }
    }

    private void AddIdMap(NpgsqlBatch batch, string sql)
    {
        var parameters = database.Add(batch, sql).Parameters;
        AddLease(parameters);
        parameters.Add(new NpgsqlParameter<long[]>("map_task_id", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { TypedValue = [.. _idMap.Select(o => o.TaskId)] });
        parameters.Add(new NpgsqlParameter<string?[]>("map_external_id", NpgsqlDbType.Array | NpgsqlDbType.Text)
        {
            TypedValue = [.. _idMap.Select(o => o.ForgetExternalId ? null : o.ExternalId?.ToString())],
        });
        parameters.Add(new NpgsqlParameter<short[]>("map_kind", NpgsqlDbType.Array | NpgsqlDbType.Smallint) { TypedValue = [.. _idMap.Select(o => (short)(o.ExternalId?.Kind ?? 0))] });
        parameters.Add(new NpgsqlParameter<DateTime[]>("map_at", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { TypedValue = [.. _idMap.Select(o => PostgreSqlValues.ToDb(o.AttemptedAt))] });
    }

    private void AddErrors(NpgsqlBatch batch)
    {
        var count = _errors.Count;
        var taskId = new long[count];
        var status = new short[count];
        var message = new string?[count];
        var runAt = new DateTime[count];
        var nextAttemptAt = new DateTime?[count];
        var result = new short[count];
        var details = new string?[count];
        for (var i = 0; i < count; i++)
        {
            var outcome = _errors[i];
            var state = outcome.Park ? SynchronizationStatus.Failed
                : outcome.Result == TaskResultKind.Error ? SynchronizationStatus.Error : SynchronizationStatus.Skipped;
            taskId[i] = outcome.TaskId;
            status[i] = (short)state;
            message[i] = outcome.Message;
            runAt[i] = PostgreSqlValues.ToDb(outcome.AttemptedAt);
            // A parked task waits for an operator, not for a time.
            nextAttemptAt[i] = state == SynchronizationStatus.Failed || outcome.NextAttemptAt is not { } next ? null : PostgreSqlValues.ToDb(next);
            result[i] = (short)outcome.Result;
            details[i] = outcome.Details;
        }

        var parameters = database.Add(batch, ErrorsSql).Parameters;
        AddQueue(parameters, taskId.Min(), taskId.Max());
        parameters.Add(new NpgsqlParameter<long[]>("task_id", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { TypedValue = taskId });
        parameters.Add(new NpgsqlParameter<short[]>("status", NpgsqlDbType.Array | NpgsqlDbType.Smallint) { TypedValue = status });
        parameters.Add(new NpgsqlParameter<string?[]>("message", NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = message });
        parameters.Add(new NpgsqlParameter<DateTime[]>("run_at", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { TypedValue = runAt });
        parameters.Add(new NpgsqlParameter<DateTime?[]>("next_attempt_at", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { TypedValue = nextAttemptAt });
        parameters.Add(new NpgsqlParameter<short[]>("result", NpgsqlDbType.Array | NpgsqlDbType.Smallint) { TypedValue = result });
        parameters.Add(new NpgsqlParameter<string?[]>("details", NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = details });
    }

    /// <summary>Adds the queue's key and the range of task IDs the statement touches (its index bounds).</summary>
    private void AddQueue(NpgsqlParameterCollection parameters, long firstTaskId, long lastTaskId)
    {
        AddLease(parameters);
        parameters.AddWithValue("first_task_id", firstTaskId);
        parameters.AddWithValue("last_task_id", lastTaskId);
    }

    /// <summary>Adds the queue's key and the lease the statement is conditioned on (<see cref="LeaseGuard"/>): the parameters of <see cref="PostgreSqlLeaseSql.CheckAndLock"/> too.</summary>
    private void AddLease(NpgsqlParameterCollection parameters) => PostgreSqlLeaseStore.AddKey(parameters, connectorId, lease);
}
