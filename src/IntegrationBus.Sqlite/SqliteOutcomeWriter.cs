using System.Globalization;
using System.Text;
using IntegrationBus.Storage;
using Microsoft.Data.Sqlite;

namespace IntegrationBus.Sqlite;

/// <summary>Writes one <see cref="QueueStore.RecordAsync"/> batch with the writer's prepared statements.</summary>
/// <remarks>
/// Errors are written as they come (an update and an attempt-log row each). Acknowledged tasks (OK and discarded) are
/// collected and written by <see cref="Flush"/>: one statement copies the OK ones to the history when asked, then one
/// command deletes the queue's synchronization rows and the tasks left without any (<see cref="SqliteTaskCleanup"/>);
/// the IDs travel as one JSON array, so the cost per task is the rows it deletes, not a statement. An OK that carries an
/// external ID (or forgets one) writes the ID map at once, in order, while the task row it reads the object from exists.
/// Synchronous on purpose: Microsoft.Data.Sqlite's async methods run synchronously anyway, and the synchronous calls
/// skip a Task per statement in this per-row loop.
/// </remarks>
internal sealed class SqliteOutcomeWriter
{
    private const string AcknowledgeSql = """
        DELETE FROM integration_synchronization
        WHERE connector_id = @connector_id AND direction = @direction AND task_id IN (SELECT value FROM json_each(@task_ids));
        """ + SqliteTaskCleanup.Sql;

    /// <summary>Acknowledges a run of consecutive task IDs: range deletes read the primary keys in order instead of probing per ID.</summary>
    /// <remarks>
    /// Every ID from <c>@first</c> to <c>@last</c> was acknowledged, and task IDs are unique across queues, so the ranges
    /// touch no other task: the queue's rows go, and a task (with its attempts) only when no connector still needs it.
    /// </remarks>
    private const string AcknowledgeRunSql = """
        DELETE FROM integration_synchronization
        WHERE connector_id = @connector_id AND direction = @direction AND task_id BETWEEN @first AND @last;
        DELETE FROM integration_attempt
        WHERE task_id BETWEEN @first AND @last
          AND NOT EXISTS (SELECT 1 FROM integration_synchronization s WHERE s.task_id = integration_attempt.task_id);
        DELETE FROM integration_task
        WHERE id BETWEEN @first AND @last
          AND NOT EXISTS (SELECT 1 FROM integration_synchronization s WHERE s.task_id = integration_task.id);
        """;

    /// <summary>Above this many runs of consecutive IDs, one statement over the ID list is cheaper than a statement per run.</summary>
    private const int MaxRuns = 4;

    private const string CopyToHistorySql = """
        INSERT INTO integration_history (task_id, guid, direction, task_type, data_type, object_type, object_id, object_guid,
            object_code_name, object_display_name, site, payload, created_at, origin_connector, policy, connector_id, delivered_at, attempts)
        SELECT t.id, t.guid, t.direction, t.task_type, t.data_type, t.object_type, t.object_id, t.object_guid,
            t.object_code_name, t.object_display_name, t.site, t.payload, t.created_at, t.origin_connector, t.policy, s.connector_id, d.value ->> 1, s.attempts
        FROM json_each(@delivered) d
        JOIN integration_synchronization s ON s.connector_id = @connector_id AND s.direction = @direction AND s.task_id = d.value ->> 0
        JOIN integration_task t ON t.id = s.task_id
        ORDER BY d.key;
        """;

    private const string UpdateErrorSql = """
        UPDATE integration_synchronization
        SET status = @status, attempts = attempts + 1, last_error = @message, last_run_at = @run_at, next_attempt_at = @next_attempt_at
        WHERE connector_id = @connector_id AND direction = @direction AND task_id = @task_id;
        """;

    private const string InsertAttemptSql = """
        INSERT INTO integration_attempt (task_id, connector_id, direction, attempted_at, result, message, details)
        VALUES (@task_id, @connector_id, @direction, @run_at, @result, @message, @details);
        """;

    /// <summary>Maps the task's object to the external ID; another object of the type that had the ID loses it (an external ID names one object).</summary>
    private const string MapSql = """
        DELETE FROM integration_id_map
        WHERE connector_id = @connector_id AND external_id = @external_id
          AND object_type = (SELECT object_type FROM integration_task WHERE id = @task_id)
          AND object_guid <> (SELECT object_guid FROM integration_task WHERE id = @task_id);
        INSERT INTO integration_id_map (connector_id, object_type, object_guid, object_id, external_id, external_id_kind, created_at, updated_at)
        SELECT @connector_id, t.object_type, t.object_guid, t.object_id, @external_id, @external_id_kind, @now, @now
        FROM integration_task t
        WHERE t.id = @task_id AND t.object_guid IS NOT NULL
        ON CONFLICT (connector_id, object_type, object_guid) DO UPDATE SET
            object_id = COALESCE(excluded.object_id, integration_id_map.object_id), external_id = excluded.external_id,
            external_id_kind = excluded.external_id_kind, updated_at = excluded.updated_at;
        """;

    private const string ForgetSql = """
        DELETE FROM integration_id_map
        WHERE connector_id = @connector_id
          AND (object_type, object_guid) = (SELECT object_type, object_guid FROM integration_task WHERE id = @task_id);
        """;

    private readonly SqliteWriteScope _scope;
    private readonly long _connectorId;
    private readonly int _direction;
    private readonly bool _keepHistory;
    private readonly List<long> _acknowledged = [];
    private readonly StringBuilder _delivered = new();

    /// <summary>Creates the writer for one queue's batch.</summary>
    /// <param name="scope">The write transaction.</param>
    /// <param name="connectorId">The connector's ID.</param>
    /// <param name="direction">The direction.</param>
    /// <param name="keepHistory">Whether OK tasks are copied to the history.</param>
    public SqliteOutcomeWriter(SqliteWriteScope scope, long connectorId, TaskDirection direction, bool keepHistory)
    {
        _scope = scope;
        _connectorId = connectorId;
        _direction = (int)direction;
        _keepHistory = keepHistory;
    }

    /// <summary>Writes (or collects) one outcome.</summary>
    /// <param name="outcome">The outcome.</param>
    public void Write(in TaskOutcome outcome)
    {
        switch (outcome.Result)
        {
            case TaskResultKind.SkipNow:
                break;
            case TaskResultKind.Ok:
            case TaskResultKind.Error or TaskResultKind.ErrorAndSkip when outcome.Discard:
                if (outcome.Result == TaskResultKind.Ok && (outcome.ExternalId is not null || outcome.ForgetExternalId))
                {
                    // Now, in order and before Flush deletes the task row the statements read the object from.
                    WriteIdMap(outcome);
                }

                _acknowledged.Add(outcome.TaskId);
                if (_keepHistory && outcome.Result == TaskResultKind.Ok && !outcome.Discard)
                {
                    _delivered.Append(_delivered.Length == 0 ? "[" : ",").Append(CultureInfo.InvariantCulture, $"[{outcome.TaskId},{SqliteValues.ToUnixMs(outcome.AttemptedAt)}]");
                }

                break;
            case TaskResultKind.Error or TaskResultKind.ErrorAndSkip:
                WriteError(outcome);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(outcome), outcome.Result, $"Task {outcome.TaskId} has an unknown result {outcome.Result}.");
        }
    }

    /// <summary>Writes the collected acknowledgements.</summary>
    public void Flush()
    {
        if (_delivered.Length > 0)
        {
            var copy = _scope.Prepared(CopyToHistorySql, ("@connector_id", SqliteType.Integer), ("@direction", SqliteType.Integer), ("@delivered", SqliteType.Text));
            SetQueue(copy);
            copy.Parameters[2].Value = _delivered.Append(']').ToString();
            copy.ExecuteNonQuery();
            _delivered.Clear();
        }

        if (_acknowledged.Count > 0 && TryAcknowledgeRuns())
        {
            _acknowledged.Clear();
        }

        if (_acknowledged.Count > 0)
        {
            var acknowledge = _scope.Prepared(AcknowledgeSql, ("@connector_id", SqliteType.Integer), ("@direction", SqliteType.Integer), ("@task_ids", SqliteType.Text));
            SetQueue(acknowledge);
            acknowledge.Parameters[2].Value = SqliteValues.ToJsonArray(_acknowledged);
            acknowledge.ExecuteNonQuery();
            _acknowledged.Clear();
        }
    }

    /// <summary>Acknowledges the collected IDs run by run when they form few runs of consecutive IDs (a drain's usual shape).</summary>
    /// <returns>Whether they were written.</returns>
    private bool TryAcknowledgeRuns()
    {
        Span<(long First, long Last)> runs = stackalloc (long, long)[MaxRuns];
        var count = 0;
        var sorted = _acknowledged.Order().ToList();
        for (var i = 0; i < sorted.Count; i++)
        {
            if (count > 0 && sorted[i] == runs[count - 1].Last + 1)
            {
                runs[count - 1].Last = sorted[i];
            }
            else if (count > 0 && sorted[i] == runs[count - 1].Last)
            {
                continue;
            }
            else if (count == MaxRuns)
            {
                return false;
            }
            else
            {
                runs[count++] = (sorted[i], sorted[i]);
            }
        }

        var acknowledge = _scope.Prepared(AcknowledgeRunSql, ("@connector_id", SqliteType.Integer), ("@direction", SqliteType.Integer), ("@first", SqliteType.Integer), ("@last", SqliteType.Integer));
        SetQueue(acknowledge);
        foreach (var (first, last) in runs[..count])
        {
            acknowledge.Parameters[2].Value = first;
            acknowledge.Parameters[3].Value = last;
            acknowledge.ExecuteNonQuery();
        }

        return true;
    }

    private void WriteIdMap(in TaskOutcome outcome)
    {
        if (outcome.ForgetExternalId)
        {
            var forget = _scope.Prepared(ForgetSql, ("@connector_id", SqliteType.Integer), ("@task_id", SqliteType.Integer));
            forget.Parameters[0].Value = _connectorId;
            forget.Parameters[1].Value = outcome.TaskId;
            forget.ExecuteNonQuery();
            return;
        }

        var id = outcome.ExternalId!.Value;
        var map = _scope.Prepared(
            MapSql,
            ("@connector_id", SqliteType.Integer), ("@task_id", SqliteType.Integer), ("@external_id", SqliteType.Text), ("@external_id_kind", SqliteType.Integer), ("@now", SqliteType.Integer));
        var parameters = map.Parameters;
        parameters[0].Value = _connectorId;
        parameters[1].Value = outcome.TaskId;
        parameters[2].Value = id.ToString();
        parameters[3].Value = (int)id.Kind;
        parameters[4].Value = SqliteValues.ToUnixMs(outcome.AttemptedAt);
        map.ExecuteNonQuery();
    }

    private void WriteError(in TaskOutcome outcome)
    {
        var status = outcome.Park ? SynchronizationStatus.Failed
            : outcome.Result == TaskResultKind.Error ? SynchronizationStatus.Error : SynchronizationStatus.Skipped;
        var update = _scope.Prepared(
            UpdateErrorSql,
            ("@connector_id", SqliteType.Integer), ("@direction", SqliteType.Integer), ("@task_id", SqliteType.Integer), ("@status", SqliteType.Integer),
            ("@message", SqliteType.Text), ("@run_at", SqliteType.Integer), ("@next_attempt_at", SqliteType.Integer));
        var parameters = update.Parameters;
        SetQueue(update);
        parameters[2].Value = outcome.TaskId;
        parameters[3].Value = (int)status;
        parameters[4].Value = SqliteValues.ToDb(outcome.Message);
        parameters[5].Value = SqliteValues.ToUnixMs(outcome.AttemptedAt);
        // A parked task waits for an operator, not for a time.
        parameters[6].Value = status == SynchronizationStatus.Failed ? DBNull.Value : SqliteValues.ToDb(outcome.NextAttemptAt);
        if (update.ExecuteNonQuery() == 0)
        {
            return;
        }

        var insert = _scope.Prepared(
            InsertAttemptSql,
            ("@connector_id", SqliteType.Integer), ("@direction", SqliteType.Integer), ("@task_id", SqliteType.Integer), ("@run_at", SqliteType.Integer),
            ("@result", SqliteType.Integer), ("@message", SqliteType.Text), ("@details", SqliteType.Text));
        parameters = insert.Parameters;
        SetQueue(insert);
        parameters[2].Value = outcome.TaskId;
        parameters[3].Value = SqliteValues.ToUnixMs(outcome.AttemptedAt);
        parameters[4].Value = (int)outcome.Result;
        parameters[5].Value = SqliteValues.ToDb(outcome.Message);
        parameters[6].Value = SqliteValues.ToDb(outcome.Details);
        insert.ExecuteNonQuery();
    }

    /// <summary>Sets the first two parameters of a command, which are always the queue's connector and direction.</summary>
    private void SetQueue(SqliteCommand command)
    {
        command.Parameters[0].Value = _connectorId;
        command.Parameters[1].Value = _direction;
    }
}
