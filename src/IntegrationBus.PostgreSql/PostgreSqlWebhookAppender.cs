using IntegrationBus.Storage;
using IntegrationBus.Webhooks;
using Npgsql;

namespace IntegrationBus.PostgreSql;

/// <summary>Appends a verified Standard Webhooks message's task and records its ID, in one transaction.</summary>
/// <remarks>
/// The message ID's row is made to exist first (a placeholder from <c>-infinity</c> when new; <c>ON CONFLICT</c> waits for
/// a concurrent writer of the same ID) and locked (<c>FOR UPDATE</c>), so two nodes receiving the same message at once
/// append it once: the second waits, then finds the first one's record. A rolled-back append takes its placeholder along.
/// </remarks>
internal sealed class PostgreSqlWebhookAppender(PostgreSqlDatabase database, PostgreSqlTaskAppender appender)
{
    private const string ClaimSql = """
        INSERT INTO ibus.integration_webhook_message (message_id, connector_id, body_hash, task_id, task_guid, created_at)
        VALUES (@message_id, @connector_id, '', 0, '00000000-0000-0000-0000-000000000000', '-infinity')
        ON CONFLICT (message_id) DO NOTHING;
        """;

    private const string ReadSql = """
        SELECT connector_id, body_hash, task_id, task_guid, created_at >= @not_before FROM ibus.integration_webhook_message
        WHERE message_id = @message_id
        FOR UPDATE;
        """;

    private const string RecordSql = """
        UPDATE ibus.integration_webhook_message
        SET connector_id = @connector_id, body_hash = @body_hash, task_id = @task_id, task_guid = @task_guid, created_at = @created_at
        WHERE message_id = @message_id;
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
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                var found = new List<KeyValuePair<string, long>>();
                var ids = await PostgreSqlConnectors.GetOrCreateAsync(database, connection, transaction, task.Connectors, found, async: true, cancellationToken).ConfigureAwait(false);
                var connectorId = ids[task.Connectors[0]];
                var result = await FindEarlierAsync(connection, transaction, connectorId, receipt, append.NotBefore, cancellationToken).ConfigureAwait(false);
                if (result is null)
                {
                    var id = (await appender.WriteAsync(connection, transaction, [task], found, async: true, cancellationToken).ConfigureAwait(false))[0];
                    using (var record = database.Command(connection, transaction, RecordSql))
                    {
                        record.Parameters.AddWithValue("message_id", receipt.MessageId);
                        record.Parameters.AddWithValue("connector_id", connectorId);
                        record.Parameters.AddWithValue("body_hash", receipt.BodyHash);
                        record.Parameters.AddWithValue("task_id", id);
                        record.Parameters.AddWithValue("task_guid", task.Guid);
                        record.Parameters.AddWithValue("created_at", PostgreSqlValues.ToDb(task.CreatedAt));
                        await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                    }

                    result = new WebhookAppendResult(WebhookAppendStatus.Appended, id, task.Guid);
                }

                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                database.CacheConnectorIds(found);
                return result;
            }
        }
    }

    private static void Validate(IncomingAppend append, WebhookReceipt receipt)
    {
        ArgumentNullException.ThrowIfNull(append);
        ArgumentNullException.ThrowIfNull(receipt);
        PostgreSqlTaskValidation.Validate(append.Task);
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

    /// <summary>Claims and locks the message ID's row; returns the judgement of an earlier record within the window, or <see langword="null"/>.</summary>
    private async Task<WebhookAppendResult?> FindEarlierAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, long connectorId, WebhookReceipt receipt, DateTimeOffset notBefore, CancellationToken cancellationToken)
    {
        using var batch = database.Batch(connection, transaction);
        var claim = database.Add(batch, ClaimSql).Parameters;
        claim.AddWithValue("message_id", receipt.MessageId);
        claim.AddWithValue("connector_id", connectorId);
        var read = database.Add(batch, ReadSql).Parameters;
        read.AddWithValue("message_id", receipt.MessageId);
        read.AddWithValue("not_before", PostgreSqlValues.ToDb(notBefore));
        var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            do
            {
                if (reader.FieldCount == 5 && await reader.ReadAsync(cancellationToken).ConfigureAwait(false) && reader.GetBoolean(4))
                {
                    return reader.GetInt64(0) != connectorId ? new(WebhookAppendStatus.OtherConnector, 0, Guid.Empty)
                        : !string.Equals(reader.GetString(1), receipt.BodyHash, StringComparison.Ordinal) ? new(WebhookAppendStatus.OtherBody, 0, Guid.Empty)
                        : new(WebhookAppendStatus.Repeated, reader.GetInt64(2), reader.GetGuid(3));
                }
            }
            while (await reader.NextResultAsync(cancellationToken).ConfigureAwait(false));
        }

        return null;
    }
}
