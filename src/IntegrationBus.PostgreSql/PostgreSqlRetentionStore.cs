using IntegrationBus.Storage;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace IntegrationBus.PostgreSql;

/// <summary>The retention part of the <see cref="PostgreSqlTaskStore"/>: one transaction per purge, one statement per kind of row.</summary>
internal sealed class PostgreSqlRetentionStore(PostgreSqlDatabase database, ILogger logger) : RetentionStore
{
    private const string AttemptsSql = "DELETE FROM ibus.integration_attempt WHERE attempted_at < @before;";

    // The redundant status test matches the partial index of unfinished rows.
    private const string FailedTasksSql = "SELECT DISTINCT task_id FROM ibus.integration_synchronization WHERE status <> 0 AND status = 3 AND last_run_at < @before;";

    private const string FailedSql = """
        DELETE FROM ibus.integration_synchronization
        WHERE status <> 0 AND status = 3 AND last_run_at < @before AND task_id = ANY(@task_ids);
        """;

    private const string IdempotencyKeysSql = "DELETE FROM ibus.integration_idempotency WHERE created_at < @before;";

    private const string WebhookMessagesSql = "DELETE FROM ibus.integration_webhook_message WHERE created_at < @before;";

    private const string HistorySql = "DELETE FROM ibus.integration_history WHERE delivered_at < @before;";

    private const string AuditSql = "DELETE FROM ibus.integration_audit WHERE at < @before;";

    /// <inheritdoc/>
    /// <remarks>Parked synchronizations go as every deletion of synchronization rows does: their tasks locked first (see <see cref="PostgreSqlTaskCleanup"/>).</remarks>
    public override async Task<PurgeResult> PurgeAsync(RetentionCutoffs cutoffs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cutoffs);
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                var result = new PurgeResult
                {
                    Attempts = await DeleteAsync(connection, transaction, AttemptsSql, cutoffs.AttemptsBefore, cancellationToken).ConfigureAwait(false),
                    FailedSynchronizations = await DeleteFailedAsync(connection, transaction, cutoffs.FailedBefore, cancellationToken).ConfigureAwait(false),
                    IdempotencyKeys = await DeleteAsync(connection, transaction, IdempotencyKeysSql, cutoffs.IdempotencyKeysBefore, cancellationToken).ConfigureAwait(false),
                    WebhookMessages = await DeleteAsync(connection, transaction, WebhookMessagesSql, cutoffs.WebhookMessagesBefore, cancellationToken).ConfigureAwait(false),
                    History = await DeleteAsync(connection, transaction, HistorySql, cutoffs.HistoryBefore, cancellationToken).ConfigureAwait(false),
                    Audit = await DeleteAsync(connection, transaction, AuditSql, cutoffs.AuditBefore, cancellationToken).ConfigureAwait(false),
                };
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                if (result.Total > 0)
                {
                    Log.Purged(logger, result.Total, result.Attempts, result.FailedSynchronizations, result.IdempotencyKeys, result.History, result.Audit);
                }

                return result;
            }
        }
    }

    private async Task<long> DeleteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, DateTimeOffset? before, CancellationToken cancellationToken)
    {
        if (before is not { } cutoff)
        {
            return 0;
        }

        using var command = database.Command(connection, transaction, sql);
        command.Parameters.AddWithValue("before", PostgreSqlValues.ToDb(cutoff));
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<long> DeleteFailedAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, DateTimeOffset? before, CancellationToken cancellationToken)
    {
        if (before is not { } cutoff)
        {
            return 0;
        }

        var taskIds = new List<long>();
        using (var find = database.Command(connection, transaction, FailedTasksSql))
        {
            find.Parameters.AddWithValue("before", PostgreSqlValues.ToDb(cutoff));
            var reader = await find.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    taskIds.Add(reader.GetInt64(0));
                }
            }
        }

        if (taskIds.Count == 0)
        {
            return 0;
        }

        var ids = taskIds.Order().ToArray();
        using var batch = database.Batch(connection, transaction);
        PostgreSqlTaskCleanup.AddLock(database, batch, ids);
        var delete = database.Add(batch, FailedSql);
        delete.Parameters.AddWithValue("before", PostgreSqlValues.ToDb(cutoff));
        delete.Parameters.Add(PostgreSqlTaskCleanup.Ids(ids));
        PostgreSqlTaskCleanup.AddCleanup(database, batch, ids);
        await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return delete.RecordsAffected;
    }
}
