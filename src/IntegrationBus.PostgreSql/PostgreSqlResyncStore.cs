using System.Data.Common;
using IntegrationBus.Storage;
using Npgsql;
using NpgsqlTypes;

namespace IntegrationBus.PostgreSql;

/// <summary>The resync part of the <see cref="PostgreSqlTaskStore"/>: the <c>integration_resync</c> table.</summary>
/// <remarks>
/// Claims are judged by the database's clock (<c>now()</c>), like leases, so a node with a fast clock cannot take a job
/// another node still holds; the claim query skips rows another claim has locked. A batch's cursor update and its tasks
/// are written in one transaction (the caller's, where the batch was read with its rows locked, or the store's own).
/// </remarks>
internal sealed class PostgreSqlResyncStore(PostgreSqlDatabase database, PostgreSqlTaskAppender appender) : ResyncStore
{
    private const string Columns = "id, connector, type_filter, since, state, cursor_type, cursor_id, queued, error, created_at, updated_at, completed_at, started_by";

    private const string InsertSql = $"""
        INSERT INTO ibus.integration_resync (connector, type_filter, since, state, queued, created_at, updated_at, started_by)
        VALUES (@connector, @type_filter, @since, 0, 0, @created_at, @updated_at, @started_by)
        RETURNING {Columns};
        """;

    private const string ClaimSql = $"""
        UPDATE ibus.integration_resync SET claimed_by = @node, claimed_until = COALESCE(@clock, now()) + @duration
        WHERE id = (SELECT id FROM ibus.integration_resync
                    WHERE state = 0 AND (claimed_by IS NULL OR claimed_by = @node OR claimed_until <= COALESCE(@clock, now()))
                    ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED)
        RETURNING {Columns};
        """;

    private const string RecordSql = """
        UPDATE ibus.integration_resync
        SET cursor_type = @cursor_type, cursor_id = @cursor_id, queued = queued + @count, updated_at = @now,
            claimed_until = COALESCE(@clock, now()) + @duration
        WHERE id = @id AND state = 0 AND claimed_by = @node;
        """;

    private const string FinishSql = """
        UPDATE ibus.integration_resync
        SET state = @state, error = @error, updated_at = @now, completed_at = @now, claimed_by = NULL, claimed_until = NULL
        WHERE id = @id AND state = 0 AND claimed_by = @node;
        """;

    private const string CancelSql = """
        UPDATE ibus.integration_resync
        SET state = 2, updated_at = @now, completed_at = @now, claimed_by = NULL, claimed_until = NULL
        WHERE id = @id AND state = 0;
        """;

    /// <inheritdoc/>
    protected override async Task<ResyncJob> CreateCoreAsync(ResyncJob job, CancellationToken cancellationToken)
    {
        var jobs = await QueryAsync(InsertSql, p =>
        {
            p.Add(new NpgsqlParameter("connector", NpgsqlDbType.Text) { Value = job.Connector });
            p.Add(new NpgsqlParameter("type_filter", NpgsqlDbType.Text) { Value = PostgreSqlValues.ToDb(job.TypeFilter) });
            p.Add(new NpgsqlParameter("since", NpgsqlDbType.TimestampTz) { Value = PostgreSqlValues.ToDb(job.Since) });
            p.Add(new NpgsqlParameter("created_at", NpgsqlDbType.TimestampTz) { Value = PostgreSqlValues.ToDb(job.CreatedAt) });
            p.Add(new NpgsqlParameter("updated_at", NpgsqlDbType.TimestampTz) { Value = PostgreSqlValues.ToDb(job.UpdatedAt) });
            p.Add(new NpgsqlParameter("started_by", NpgsqlDbType.Text) { Value = PostgreSqlValues.ToDb(job.StartedBy) });
        }, cancellationToken).ConfigureAwait(false);
        return jobs[0];
    }

    /// <inheritdoc/>
    public override async Task<ResyncJob?> GetAsync(long id, CancellationToken cancellationToken)
    {
        var jobs = await QueryAsync($"SELECT {Columns} FROM ibus.integration_resync WHERE id = @id;", p => p.AddWithValue("id", id), cancellationToken).ConfigureAwait(false);
        return jobs.Count == 0 ? null : jobs[0];
    }

    /// <inheritdoc/>
    protected override async Task<IReadOnlyList<ResyncJob>> ListCoreAsync(long? before, int limit, CancellationToken cancellationToken)
    {
        return await QueryAsync(
            $"SELECT {Columns} FROM ibus.integration_resync WHERE id < @before ORDER BY id DESC LIMIT @limit;",
            p =>
            {
                p.AddWithValue("before", before ?? long.MaxValue);
                p.AddWithValue("limit", limit);
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public override async Task<bool> CancelAsync(long id, DateTimeOffset now, CancellationToken cancellationToken) =>
        await ExecuteAsync(CancelSql, p =>
        {
            p.AddWithValue("id", id);
            p.AddWithValue("now", PostgreSqlValues.ToDb(now));
        }, cancellationToken).ConfigureAwait(false) > 0;

    /// <inheritdoc/>
    protected override async Task<ResyncJob?> ClaimCoreAsync(string node, TimeSpan duration, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var jobs = await QueryAsync(ClaimSql, p =>
        {
            p.AddWithValue("node", node);
            p.Add(new NpgsqlParameter("duration", NpgsqlDbType.Interval) { Value = duration });
            p.Add(Clock());
        }, cancellationToken).ConfigureAwait(false);
        return jobs.Count == 0 ? null : jobs[0];
    }

    /// <inheritdoc/>
    protected override async Task<bool> RecordBatchCoreAsync(ResyncBatch batch, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        if (transaction is not null)
        {
            if (transaction is not NpgsqlTransaction { Connection: { } connection } npgsqlTransaction)
            {
                throw new ArgumentException($"The PostgreSQL task store can only record a resync batch inside an open NpgsqlTransaction, not a {transaction.GetType().FullName}.", nameof(transaction));
            }

            if (await RecordAsync(connection, npgsqlTransaction, batch, cancellationToken).ConfigureAwait(false) == 0)
            {
                return false;
            }

            await appender.AppendAsync(batch.Tasks, npgsqlTransaction, cancellationToken).ConfigureAwait(false);
            return true;
        }

        var own = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (own.ConfigureAwait(false))
        {
            var ownTransaction = await own.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (ownTransaction.ConfigureAwait(false))
            {
                if (await RecordAsync(own, ownTransaction, batch, cancellationToken).ConfigureAwait(false) == 0)
                {
                    return false;
                }

                await appender.AppendAsync(batch.Tasks, ownTransaction, cancellationToken).ConfigureAwait(false);
                await ownTransaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return true;
            }
        }
    }

    /// <inheritdoc/>
    public override async Task<bool> FinishAsync(long id, string node, ResyncJobState state, string? message, DateTimeOffset now, CancellationToken cancellationToken) =>
        await ExecuteAsync(FinishSql, p =>
        {
            p.AddWithValue("id", id);
            p.AddWithValue("node", node);
            p.AddWithValue("state", (int)state);
            p.Add(new NpgsqlParameter("error", NpgsqlDbType.Text) { Value = PostgreSqlValues.ToDb(message) });
            p.AddWithValue("now", PostgreSqlValues.ToDb(now));
        }, cancellationToken).ConfigureAwait(false) > 0;

    private NpgsqlParameter Clock() =>
        new("clock", NpgsqlDbType.TimestampTz) { Value = database.FrozenClock is { } clock ? clock.UtcDateTime : DBNull.Value };

    private async Task<int> RecordAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, ResyncBatch batch, CancellationToken cancellationToken)
    {
        var command = database.Command(connection, transaction, RecordSql);
        await using var disposeCommand = command.ConfigureAwait(false);
        var p = command.Parameters;
        p.AddWithValue("id", batch.JobId);
        p.AddWithValue("node", batch.Node);
        p.AddWithValue("cursor_type", batch.CursorType);
        p.Add(new NpgsqlParameter("cursor_id", NpgsqlDbType.Bigint) { Value = PostgreSqlValues.ToDb(batch.CursorId) });
        p.AddWithValue("count", (long)batch.Tasks.Count);
        p.AddWithValue("now", PostgreSqlValues.ToDb(batch.Now));
        p.Add(new NpgsqlParameter("duration", NpgsqlDbType.Interval) { Value = batch.ClaimDuration });
        p.Add(Clock());
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static ResyncJob ReadJob(NpgsqlDataReader reader) => new()
    {
        Id = reader.GetInt64(0),
        Connector = reader.GetString(1),
        TypeFilter = PostgreSqlValues.ReadString(reader, 2),
        Since = PostgreSqlValues.ReadOptionalTime(reader, 3),
        State = (ResyncJobState)reader.GetInt32(4),
        CursorType = PostgreSqlValues.ReadString(reader, 5),
        CursorId = reader.IsDBNull(6) ? null : reader.GetInt64(6),
        Queued = reader.GetInt64(7),
        Error = PostgreSqlValues.ReadString(reader, 8),
        CreatedAt = PostgreSqlValues.ReadTime(reader, 9),
        UpdatedAt = PostgreSqlValues.ReadTime(reader, 10),
        CompletedAt = PostgreSqlValues.ReadOptionalTime(reader, 11),
        StartedBy = PostgreSqlValues.ReadString(reader, 12),
    };

    private async Task<List<ResyncJob>> QueryAsync(string sql, Action<NpgsqlParameterCollection> bind, CancellationToken cancellationToken)
    {
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var command = database.Command(connection, null, sql);
            await using var disposeCommand = command.ConfigureAwait(false);
            bind(command.Parameters);
            var jobs = new List<ResyncJob>();
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    jobs.Add(ReadJob(reader));
                }
            }

            return jobs;
        }
    }

    private async Task<int> ExecuteAsync(string sql, Action<NpgsqlParameterCollection> bind, CancellationToken cancellationToken)
    {
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var command = database.Command(connection, null, sql);
            await using var disposeCommand = command.ConfigureAwait(false);
            bind(command.Parameters);
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
