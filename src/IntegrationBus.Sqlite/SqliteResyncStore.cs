using System.Data.Common;
using IntegrationBus.Storage;
using Microsoft.Data.Sqlite;

namespace IntegrationBus.Sqlite;

/// <summary>The resync part of the <see cref="SqliteTaskStore"/>: the <c>integration_resync</c> table.</summary>
/// <remarks>
/// A claim is judged by the <c>now</c> the worker passes (processes on one file share the machine's clock). A batch writes
/// the cursor first, so inside the caller's transaction the write lock is held from then on (a transaction begun
/// <c>IMMEDIATE</c> holds it already), then appends the tasks on the same connection.
/// </remarks>
internal sealed class SqliteResyncStore(SqliteDatabase database, SqliteTaskAppender appender) : ResyncStore
{
    private const string Columns = "id, connector, type_filter, since, state, cursor_type, cursor_id, queued, error, created_at, updated_at, completed_at, started_by";

    private const string InsertSql = $"""
        INSERT INTO integration_resync (connector, type_filter, since, state, queued, created_at, updated_at, started_by)
        VALUES (@connector, @type_filter, @since, 0, 0, @created_at, @updated_at, @started_by)
        RETURNING {Columns};
        """;

    private const string ClaimSql = $"""
        UPDATE integration_resync SET claimed_by = @node, claimed_until = @until
        WHERE id = (SELECT id FROM integration_resync
                    WHERE state = 0 AND (claimed_by IS NULL OR claimed_by = @node OR claimed_until <= @now)
                    ORDER BY id LIMIT 1)
        RETURNING {Columns};
        """;

    private const string RecordSql = """
        UPDATE integration_resync
        SET cursor_type = @cursor_type, cursor_id = @cursor_id, queued = queued + @count, updated_at = @now, claimed_until = @until
        WHERE id = @id AND state = 0 AND claimed_by = @node;
        """;

    private const string FinishSql = """
        UPDATE integration_resync
        SET state = @state, error = @error, updated_at = @now, completed_at = @now, claimed_by = NULL, claimed_until = NULL
        WHERE id = @id AND state = 0 AND claimed_by = @node;
        """;

    private const string CancelSql = """
        UPDATE integration_resync
        SET state = 2, updated_at = @now, completed_at = @now, claimed_by = NULL, claimed_until = NULL
        WHERE id = @id AND state = 0;
        """;

    /// <inheritdoc/>
    protected override async Task<ResyncJob> CreateCoreAsync(ResyncJob job, CancellationToken cancellationToken)
    {
        var jobs = await WriteAsync(InsertSql, command =>
        {
            command.Parameters.AddWithValue("@connector", job.Connector);
            command.Parameters.AddWithValue("@type_filter", SqliteValues.ToDb(job.TypeFilter));
            command.Parameters.AddWithValue("@since", SqliteValues.ToDb(job.Since));
            command.Parameters.AddWithValue("@created_at", SqliteValues.ToUnixMs(job.CreatedAt));
            command.Parameters.AddWithValue("@updated_at", SqliteValues.ToUnixMs(job.UpdatedAt));
            command.Parameters.AddWithValue("@started_by", SqliteValues.ToDb(job.StartedBy));
        }, cancellationToken).ConfigureAwait(false);
        return jobs[0];
    }

    /// <inheritdoc/>
    public override async Task<ResyncJob?> GetAsync(long id, CancellationToken cancellationToken)
    {
        var jobs = await ReadAsync($"SELECT {Columns} FROM integration_resync WHERE id = @id;", command => command.Parameters.AddWithValue("@id", id), cancellationToken).ConfigureAwait(false);
        return jobs.Count == 0 ? null : jobs[0];
    }

    /// <inheritdoc/>
    protected override Task<IReadOnlyList<ResyncJob>> ListCoreAsync(long? before, int limit, CancellationToken cancellationToken)
    {
        return ReadAsync(
            $"SELECT {Columns} FROM integration_resync WHERE id < @before ORDER BY id DESC LIMIT CAST(@limit AS INTEGER);",
            command =>
            {
                command.Parameters.AddWithValue("@before", before ?? long.MaxValue);
                command.Parameters.AddWithValue("@limit", limit);
            },
            cancellationToken);
    }

    /// <inheritdoc/>
    public override async Task<bool> CancelAsync(long id, DateTimeOffset now, CancellationToken cancellationToken) =>
        await ExecuteAsync(CancelSql, command =>
        {
            command.Parameters.AddWithValue("@id", id);
            command.Parameters.AddWithValue("@now", SqliteValues.ToUnixMs(now));
        }, cancellationToken).ConfigureAwait(false) > 0;

    /// <inheritdoc/>
    protected override async Task<ResyncJob?> ClaimCoreAsync(string node, TimeSpan duration, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var jobs = await WriteAsync(ClaimSql, command =>
        {
            command.Parameters.AddWithValue("@node", node);
            command.Parameters.AddWithValue("@now", SqliteValues.ToUnixMs(now));
            command.Parameters.AddWithValue("@until", SqliteValues.ToUnixMs(now + duration));
        }, cancellationToken).ConfigureAwait(false);
        return jobs.Count == 0 ? null : jobs[0];
    }

    /// <inheritdoc/>
    protected override async Task<bool> RecordBatchCoreAsync(ResyncBatch batch, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        if (transaction is not null)
        {
            if (transaction is not SqliteTransaction { Connection: { } connection } sqliteTransaction)
            {
                throw new ArgumentException($"The SQLite task store can only record a resync batch inside an open SqliteTransaction, not a {transaction.GetType().FullName}.", nameof(transaction));
            }

            if (Record(connection, sqliteTransaction, batch) == 0)
            {
                return false;
            }

            await appender.AppendAsync(batch.Tasks, sqliteTransaction, cancellationToken).ConfigureAwait(false);
            return true;
        }

        var scope = await database.BeginWriteAsync(cancellationToken).ConfigureAwait(false);
        await using (scope.ConfigureAwait(false))
        {
            if (Record(scope.Connection, scope.Transaction, batch) == 0)
            {
                return false;
            }

            await appender.AppendAsync(batch.Tasks, scope.Transaction, cancellationToken).ConfigureAwait(false);
            await scope.CommitAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
    }

    /// <inheritdoc/>
    public override async Task<bool> FinishAsync(long id, string node, ResyncJobState state, string? message, DateTimeOffset now, CancellationToken cancellationToken) =>
        await ExecuteAsync(FinishSql, command =>
        {
            command.Parameters.AddWithValue("@id", id);
            command.Parameters.AddWithValue("@node", node);
            command.Parameters.AddWithValue("@state", (int)state);
            command.Parameters.AddWithValue("@error", SqliteValues.ToDb(message));
            command.Parameters.AddWithValue("@now", SqliteValues.ToUnixMs(now));
        }, cancellationToken).ConfigureAwait(false) > 0;

    private static int Record(SqliteConnection connection, SqliteTransaction transaction, ResyncBatch batch)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = RecordSql;
        command.Parameters.AddWithValue("@id", batch.JobId);
        command.Parameters.AddWithValue("@node", batch.Node);
        command.Parameters.AddWithValue("@cursor_type", batch.CursorType);
        command.Parameters.AddWithValue("@cursor_id", SqliteValues.ToDb(batch.CursorId));
        command.Parameters.AddWithValue("@count", batch.Tasks.Count);
        command.Parameters.AddWithValue("@now", SqliteValues.ToUnixMs(batch.Now));
        command.Parameters.AddWithValue("@until", SqliteValues.ToUnixMs(batch.Now + batch.ClaimDuration));
        return command.ExecuteNonQuery();
    }

    private static ResyncJob ReadJob(SqliteDataReader reader) => new()
    {
        Id = reader.GetInt64(0),
        Connector = reader.GetString(1),
        TypeFilter = reader.IsDBNull(2) ? null : reader.GetString(2),
        Since = SqliteValues.ReadTime(reader, 3),
        State = (ResyncJobState)reader.GetInt32(4),
        CursorType = reader.IsDBNull(5) ? null : reader.GetString(5),
        CursorId = reader.IsDBNull(6) ? null : reader.GetInt64(6),
        Queued = reader.GetInt64(7),
        Error = reader.IsDBNull(8) ? null : reader.GetString(8),
        CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(9)),
        UpdatedAt = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(10)),
        CompletedAt = SqliteValues.ReadTime(reader, 11),
        StartedBy = reader.IsDBNull(12) ? null : reader.GetString(12),
    };

    private static List<ResyncJob> ReadAll(SqliteCommand command)
    {
        var jobs = new List<ResyncJob>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            jobs.Add(ReadJob(reader));
        }

        return jobs;
    }

    private async Task<List<ResyncJob>> WriteAsync(string sql, Action<SqliteCommand> bind, CancellationToken cancellationToken)
    {
        var scope = await database.BeginWriteAsync(cancellationToken).ConfigureAwait(false);
        await using (scope.ConfigureAwait(false))
        {
            using var command = scope.CreateCommand(sql);
            bind(command);
            var jobs = ReadAll(command);
            await scope.CommitAsync(cancellationToken).ConfigureAwait(false);
            return jobs;
        }
    }

    private async Task<int> ExecuteAsync(string sql, Action<SqliteCommand> bind, CancellationToken cancellationToken)
    {
        var scope = await database.BeginWriteAsync(cancellationToken).ConfigureAwait(false);
        await using (scope.ConfigureAwait(false))
        {
            using var command = scope.CreateCommand(sql);
            bind(command);
            var count = command.ExecuteNonQuery();
            await scope.CommitAsync(cancellationToken).ConfigureAwait(false);
            return count;
        }
    }

    private async Task<IReadOnlyList<ResyncJob>> ReadAsync(string sql, Action<SqliteCommand> bind, CancellationToken cancellationToken)
    {
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            bind(command);
            return ReadAll(command);
        }
    }
}
