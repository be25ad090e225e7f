using IntegrationBus.Connectors;
using IntegrationBus.Model;
using IntegrationBus.Storage;
using Microsoft.Data.Sqlite;

namespace IntegrationBus.Sqlite;

/// <summary>The runner's side of the store: fetch a batch, record its results, hold the lease.</summary>
internal sealed class SqliteQueue(SqliteDatabase database)
{
    /// <summary>Reads a queue's next batch through the synchronization primary key.</summary>
    internal const string FetchSql = $"""
        SELECT {SqliteValues.QueuedTaskColumns}
        FROM integration_synchronization s
        JOIN integration_task t ON t.id = s.task_id
        WHERE s.connector_id = @connector_id AND s.direction = @direction AND s.task_id > @after AND s.status <> 3
        ORDER BY s.task_id
        LIMIT @limit;
        """;

    private const string DeleteSynchronizationsSql =
        "DELETE FROM integration_synchronization WHERE connector_id = @connector_id AND direction = @direction AND task_id IN (SELECT value FROM json_each(@task_ids));";

    private const string UpdateErrorSql = """
        UPDATE integration_synchronization
        SET status = @status, attempts = attempts + 1, last_error = @message, last_run_at = @run_at, next_attempt_at = @next_attempt_at
        WHERE connector_id = @connector_id AND direction = @direction AND task_id = @task_id;
        """;

    private const string InsertAttemptSql = """
        INSERT INTO integration_attempt (task_id, connector_id, attempted_at, result, message)
        VALUES (@task_id, @connector_id, @run_at, @result, @message);
        """;

    private const string AcquireLeaseSql = """
        INSERT INTO integration_lease (connector_id, direction, owner, expires_at)
        VALUES (@connector_id, @direction, @owner, @expires_at)
        ON CONFLICT (connector_id, direction) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at
        WHERE integration_lease.owner = excluded.owner OR integration_lease.expires_at <= @now
        RETURNING owner;
        """;

    private const string ReleaseLeaseSql = """
        DELETE FROM integration_lease
        WHERE connector_id = (SELECT id FROM integration_connector WHERE name = @connector) AND direction = @direction AND owner = @owner;
        """;

    /// <summary>Reads the next tasks of a queue; see <see cref="ITaskStore.FetchAsync"/>.</summary>
    /// <param name="connector">The connector.</param>
    /// <param name="direction">The direction.</param>
    /// <param name="afterTaskId">Only tasks with a greater ID.</param>
    /// <param name="limit">The batch size.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The tasks in ascending ID order.</returns>
    public async Task<IReadOnlyList<QueuedTask>> FetchAsync(string connector, TaskDirection direction, long afterTaskId, int limit, CancellationToken cancellationToken)
    {
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            if (await database.FindConnectorIdAsync(connection, null, connector, true, cancellationToken).ConfigureAwait(false) is not { } connectorId)
            {
                return [];
            }

            using var command = connection.CreateCommand();
            command.CommandText = FetchSql;
            command.Parameters.AddWithValue("@connector_id", connectorId);
            command.Parameters.AddWithValue("@direction", (int)direction);
            command.Parameters.AddWithValue("@after", afterTaskId);
            command.Parameters.AddWithValue("@limit", limit);
            var tasks = new List<QueuedTask>(Math.Min(limit, 1024));
            // Synchronous like the other per-row loops: Microsoft.Data.Sqlite's async reads run synchronously anyway.
            cancellationToken.ThrowIfCancellationRequested();
            using (var reader = command.ExecuteReader())
            {
                while (reader.Read())
                {
                    tasks.Add(SqliteValues.ReadQueuedTask(reader));
                }
            }

            return tasks;
        }
    }

    /// <summary>Records a batch's results; see <see cref="ITaskStore.RecordAsync"/>.</summary>
    /// <param name="connector">The connector.</param>
    /// <param name="direction">The direction.</param>
    /// <param name="outcomes">The outcomes.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the results are stored.</returns>
    public async Task RecordAsync(string connector, TaskDirection direction, IReadOnlyList<TaskOutcome> outcomes, CancellationToken cancellationToken)
    {
        var scope = await database.BeginWriteAsync(cancellationToken).ConfigureAwait(false);
        await using (scope.ConfigureAwait(false))
        {
            if (await database.FindConnectorIdAsync(scope.Connection, scope.Transaction, connector, true, cancellationToken).ConfigureAwait(false) is not { } connectorId)
            {
                return;
            }

            using var writer = new SqliteOutcomeWriter(scope, connectorId, direction);
            foreach (var outcome in outcomes)
            {
                cancellationToken.ThrowIfCancellationRequested();
                writer.Write(outcome);
            }

            writer.Flush();
            await scope.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Takes or renews a lease; see <see cref="ITaskStore.TryAcquireLeaseAsync"/>.</summary>
    /// <param name="connector">The connector.</param>
    /// <param name="direction">The direction.</param>
    /// <param name="owner">The owner.</param>
    /// <param name="now">The current time.</param>
    /// <param name="duration">The lease duration.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Whether the owner holds the lease.</returns>
    public async Task<bool> TryAcquireLeaseAsync(string connector, TaskDirection direction, string owner, DateTimeOffset now, TimeSpan duration, CancellationToken cancellationToken)
    {
        var scope = await database.BeginWriteAsync(cancellationToken).ConfigureAwait(false);
        await using (scope.ConfigureAwait(false))
        {
            var connectorId = await database.GetOrCreateConnectorIdAsync(scope.Connection, scope.Transaction, connector, true, scope.CreatedConnectors, cancellationToken).ConfigureAwait(false);
            using var command = scope.CreateCommand(AcquireLeaseSql);
            command.Parameters.AddWithValue("@connector_id", connectorId);
            command.Parameters.AddWithValue("@direction", (int)direction);
            command.Parameters.AddWithValue("@owner", owner);
            command.Parameters.AddWithValue("@expires_at", SqliteValues.ToUnixMs(now + duration));
            command.Parameters.AddWithValue("@now", SqliteValues.ToUnixMs(now));
            var held = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not null;
            await scope.CommitAsync(cancellationToken).ConfigureAwait(false);
            return held;
        }
    }

    /// <summary>Releases a lease; see <see cref="ITaskStore.ReleaseLeaseAsync"/>.</summary>
    /// <param name="connector">The connector.</param>
    /// <param name="direction">The direction.</param>
    /// <param name="owner">The owner.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when released.</returns>
    public async Task ReleaseLeaseAsync(string connector, TaskDirection direction, string owner, CancellationToken cancellationToken)
    {
        var scope = await database.BeginWriteAsync(cancellationToken).ConfigureAwait(false);
        await using (scope.ConfigureAwait(false))
        {
            using var command = scope.CreateCommand(ReleaseLeaseSql);
            command.Parameters.AddWithValue("@connector", connector);
            command.Parameters.AddWithValue("@direction", (int)direction);
            command.Parameters.AddWithValue("@owner", owner);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            await scope.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The prepared statements of one <see cref="RecordAsync"/> batch, reused for every outcome.</summary>
    private sealed class SqliteOutcomeWriter : IDisposable
    {
        private readonly SqliteWriteScope _scope;
        private readonly long _connectorId;
        private readonly int _direction;
        private readonly List<long> _acknowledged = [];
        private SqliteCommand? _deleteSynchronizations;
        private SqliteCommand? _updateError;
        private SqliteCommand? _insertAttempt;

        public SqliteOutcomeWriter(SqliteWriteScope scope, long connectorId, TaskDirection direction)
        {
            _scope = scope;
            _connectorId = connectorId;
            _direction = (int)direction;
        }

        /// <remarks>
        /// Synchronous on purpose: Microsoft.Data.Sqlite's async methods run synchronously anyway, and the
        /// synchronous calls skip a Task per statement in this per-row loop.
        /// </remarks>
        public void Write(TaskOutcome outcome)
        {
            switch (outcome.Result)
            {
                case TaskResultKind.Ok:
                case not TaskResultKind.SkipNow when outcome.Discard:
                    WriteOk(outcome.TaskId);
                    break;
                case TaskResultKind.Error or TaskResultKind.ErrorAndSkip:
                    WriteError(outcome);
                    break;
                case TaskResultKind.SkipNow:
                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(outcome), outcome.Result, $"Task {outcome.TaskId} has an unknown result {outcome.Result}.");
            }
        }

        public void Dispose()
        {
            _deleteSynchronizations?.Dispose();
            _updateError?.Dispose();
            _insertAttempt?.Dispose();
        }

        /// <summary>Deletes the acknowledged synchronization rows in one statement (the IDs travel as one JSON array).</summary>
        /// <remarks>The schema's trigger deletes each task and its attempt log with its last synchronization row.</remarks>
        public void Flush()
        {
            if (_acknowledged.Count == 0)
            {
                return;
            }

            if (_deleteSynchronizations is null)
            {
                _deleteSynchronizations = _scope.CreateCommand(DeleteSynchronizationsSql);
                _deleteSynchronizations.Parameters.AddWithValue("@connector_id", _connectorId);
                _deleteSynchronizations.Parameters.AddWithValue("@direction", _direction);
                SqliteValues.Add(_deleteSynchronizations, "@task_ids", SqliteType.Text);
            }

            _deleteSynchronizations.Parameters["@task_ids"].Value = "[" + string.Join(',', _acknowledged.Select(id => id.ToString(System.Globalization.CultureInfo.InvariantCulture))) + "]";
            _deleteSynchronizations.ExecuteNonQuery();
            _acknowledged.Clear();
        }

        private void WriteOk(long taskId) => _acknowledged.Add(taskId);

        private void WriteError(TaskOutcome outcome)
        {
            var status = outcome.Park ? SynchronizationStatus.Failed
                : outcome.Result == TaskResultKind.Error ? SynchronizationStatus.Error : SynchronizationStatus.Skipped;
            var nextAttemptAt = status == SynchronizationStatus.Error ? outcome.NextAttemptAt : null;
            if (_updateError is null)
            {
                _updateError = Keyed(UpdateErrorSql);
                SqliteValues.Add(_updateError, "@status", SqliteType.Integer);
                SqliteValues.Add(_updateError, "@message", SqliteType.Text);
                SqliteValues.Add(_updateError, "@run_at", SqliteType.Integer);
                SqliteValues.Add(_updateError, "@next_attempt_at", SqliteType.Integer);
            }

            var parameters = _updateError.Parameters;
            parameters["@task_id"].Value = outcome.TaskId;
            parameters["@status"].Value = (int)status;
            parameters["@message"].Value = SqliteValues.ToDb(outcome.Message);
            parameters["@run_at"].Value = SqliteValues.ToUnixMs(outcome.AttemptedAt);
            parameters["@next_attempt_at"].Value = SqliteValues.ToDb(nextAttemptAt);
            if (_updateError.ExecuteNonQuery() == 0)
            {
                return;
            }

            if (_insertAttempt is null)
            {
                _insertAttempt = TaskOnly(InsertAttemptSql);
                _insertAttempt.Parameters.AddWithValue("@connector_id", _connectorId);
                SqliteValues.Add(_insertAttempt, "@run_at", SqliteType.Integer);
                SqliteValues.Add(_insertAttempt, "@result", SqliteType.Integer);
                SqliteValues.Add(_insertAttempt, "@message", SqliteType.Text);
            }

            parameters = _insertAttempt.Parameters;
            parameters["@task_id"].Value = outcome.TaskId;
            parameters["@run_at"].Value = SqliteValues.ToUnixMs(outcome.AttemptedAt);
            parameters["@result"].Value = (int)outcome.Result;
            parameters["@message"].Value = SqliteValues.ToDb(outcome.Message);
            _insertAttempt.ExecuteNonQuery();
        }

        private SqliteCommand Keyed(string sql)
        {
            var command = TaskOnly(sql);
            command.Parameters.AddWithValue("@connector_id", _connectorId);
            command.Parameters.AddWithValue("@direction", _direction);
            return command;
        }

        private SqliteCommand TaskOnly(string sql)
        {
            var command = _scope.CreateCommand(sql);
            SqliteValues.Add(command, "@task_id", SqliteType.Integer);
            return command;
        }
    }
}
