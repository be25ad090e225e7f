using IntegrationBus.Storage;
using IntegrationBus.Webhooks;
using Microsoft.Data.Sqlite;

namespace IntegrationBus.Sqlite;

/// <summary>Appends a verified Standard Webhooks message's task and records its ID, in one write transaction.</summary>
/// <remarks>
/// SQLite has one writer at a time (every node on the file takes the write lock first), so the lookup, the append and the
/// record cannot interleave with another node's: the same message ID is appended once.
/// </remarks>
internal sealed class SqliteWebhookAppender(SqliteDatabase database, SqliteTaskAppender appender)
{
    private const string FindSql = """
        SELECT connector_id, body_hash, task_id, task_guid FROM integration_webhook_message
        WHERE message_id = @message_id AND created_at >= @not_before;
        """;

    private const string RecordSql = """
        INSERT INTO integration_webhook_message (message_id, connector_id, body_hash, task_id, task_guid, created_at)
        VALUES (@message_id, @connector_id, @body_hash, @task_id, @task_guid, @created_at)
        ON CONFLICT (message_id) DO UPDATE SET connector_id = excluded.connector_id, body_hash = excluded.body_hash,
            task_id = excluded.task_id, task_guid = excluded.task_guid, created_at = excluded.created_at;
        """;

    /// <summary>Appends; see <see cref="QueueStore.AppendWebhookAsync"/>.</summary>
    /// <param name="append">The task and the window.</param>
    /// <param name="receipt">The message's ID and body hash.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>What was done, with the task.</returns>
    public async Task<WebhookAppendResult> AppendAsync(IncomingAppend append, WebhookReceipt receipt, CancellationToken cancellationToken)
    {
        Validate(append, receipt);
        var task = append.Task;
        var scope = await database.BeginWriteAsync(cancellationToken).ConfigureAwait(false);
        await using (scope.ConfigureAwait(false))
        {
            var connectorId = database.GetOrCreateConnectorId(scope.Connection, scope.Transaction, task.Connectors[0], true, scope.CreatedConnectors);
            WebhookAppendResult? earlier = null;
            using (var find = scope.CreateCommand(FindSql))
            {
                find.Parameters.AddWithValue("@message_id", receipt.MessageId);
                find.Parameters.AddWithValue("@not_before", SqliteValues.ToUnixMs(append.NotBefore));
                using var reader = find.ExecuteReader();
                if (reader.Read())
                {
                    earlier = Judge(reader.GetInt64(0) == connectorId, string.Equals(reader.GetString(1), receipt.BodyHash, StringComparison.Ordinal),
                        reader.GetInt64(2), Guid.Parse(reader.GetString(3)));
                }
            }

            if (earlier is null)
            {
                var id = appender.WriteOne(scope, task, cancellationToken);
                using var record = scope.CreateCommand(RecordSql);
                record.Parameters.AddWithValue("@message_id", receipt.MessageId);
                record.Parameters.AddWithValue("@connector_id", connectorId);
                record.Parameters.AddWithValue("@body_hash", receipt.BodyHash);
                record.Parameters.AddWithValue("@task_id", id);
                record.Parameters.AddWithValue("@task_guid", task.Guid.ToString("D"));
                record.Parameters.AddWithValue("@created_at", SqliteValues.ToUnixMs(task.CreatedAt));
                record.ExecuteNonQuery();
                earlier = new WebhookAppendResult(WebhookAppendStatus.Appended, id, task.Guid);
            }

            await scope.CommitAsync(cancellationToken).ConfigureAwait(false);
            return earlier;
        }
    }

    /// <summary>Checks the arguments as every store does.</summary>
    internal static void Validate(IncomingAppend append, WebhookReceipt receipt)
    {
        ArgumentNullException.ThrowIfNull(append);
        ArgumentNullException.ThrowIfNull(receipt);
        ArgumentNullException.ThrowIfNull(append.Task, nameof(append));
        append.Task.Validate();
        receipt.Validate();
        if (append.Task.Connectors.Count != 1)
        {
            throw new ArgumentException($"Incoming task {append.Task.Guid} must name exactly one connector, the one it came from.", nameof(append));
        }

        if (append.IdempotencyKey is not null)
        {
            throw new ArgumentException("A webhook's append carries no idempotency key: the webhook-id plays that part.", nameof(append));
        }
    }

    /// <summary>Judges an earlier record of the same message ID.</summary>
    internal static WebhookAppendResult Judge(bool sameConnector, bool sameBody, long taskId, Guid taskGuid) =>
        !sameConnector ? new(WebhookAppendStatus.OtherConnector, 0, Guid.Empty)
        : !sameBody ? new(WebhookAppendStatus.OtherBody, 0, Guid.Empty)
        : new(WebhookAppendStatus.Repeated, taskId, taskGuid);
}
