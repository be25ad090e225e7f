using IntegrationBus.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace IntegrationBus.Sqlite;

/// <summary>The retention part of the <see cref="SqliteTaskStore"/>: one transaction per purge, one statement per kind of row.</summary>
internal sealed class SqliteRetentionStore(SqliteDatabase database, ILogger logger) : RetentionStore
{
    private const string AttemptsSql = "DELETE FROM integration_attempt WHERE attempted_at < @before;";

    // The redundant status test lets SQLite read the partial index of unfinished rows instead of the whole table.
    internal const string FailedSql = "DELETE FROM integration_synchronization WHERE status <> 0 AND status = 3 AND last_run_at < @before RETURNING task_id;";

    private const string IdempotencyKeysSql = "DELETE FROM integration_idempotency WHERE created_at < @before;";

    private const string WebhookMessagesSql = "DELETE FROM integration_webhook_message WHERE created_at < @before;";

    private const string HistorySql = "DELETE FROM integration_history WHERE delivered_at < @before;";

    private const string AuditSql = "DELETE FROM integration_audit WHERE at < @before;";

    /// <inheritdoc/>
    public override async Task<PurgeResult> PurgeAsync(RetentionCutoffs cutoffs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cutoffs);
        var scope = await database.BeginWriteAsync(cancellationToken).ConfigureAwait(false);
        await using (scope.ConfigureAwait(false))
        {
            var result = new PurgeResult
            {
                Attempts = Delete(scope, AttemptsSql, cutoffs.AttemptsBefore),
                FailedSynchronizations = DeleteFailed(scope, cutoffs.FailedBefore),
                IdempotencyKeys = Delete(scope, IdempotencyKeysSql, cutoffs.IdempotencyKeysBefore),
                WebhookMessages = Delete(scope, WebhookMessagesSql, cutoffs.WebhookMessagesBefore),
                History = Delete(scope, HistorySql, cutoffs.HistoryBefore),
                Audit = Delete(scope, AuditSql, cutoffs.AuditBefore),
            };
            await scope.CommitAsync(cancellationToken).ConfigureAwait(false);
            if (result.Total > 0)
            {
                Log.Purged(logger, result.Total, result.Attempts, result.FailedSynchronizations, result.IdempotencyKeys, result.History, result.Audit);
            }

            return result;
        }
    }

    private static long Delete(SqliteWriteScope scope, string sql, DateTimeOffset? before)
    {
        if (before is not { } cutoff)
        {
            return 0;
        }

        using var command = scope.CreateCommand(sql);
        command.Parameters.AddWithValue("@before", SqliteValues.ToUnixMs(cutoff));
        return command.ExecuteNonQuery();
    }

    private static long DeleteFailed(SqliteWriteScope scope, DateTimeOffset? before)
    {
        if (before is not { } cutoff)
        {
            return 0;
        }

        var taskIds = new HashSet<long>();
        long count = 0;
        using (var command = scope.CreateCommand(FailedSql))
        {
            command.Parameters.Add("@before", SqliteType.Integer).Value = SqliteValues.ToUnixMs(cutoff);
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                taskIds.Add(reader.GetInt64(0));
                count++;
            }
        }

        SqliteTaskCleanup.Run(scope, taskIds);
        return count;
    }
}
