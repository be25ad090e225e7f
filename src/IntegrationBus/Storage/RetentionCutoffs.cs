namespace IntegrationBus.Storage;

/// <summary>What retention deletes: for each kind of row, the time before which it goes; <see langword="null"/> keeps it.</summary>
public sealed record RetentionCutoffs
{
    /// <summary>Gets the cut-off for attempt-log entries.</summary>
    public DateTimeOffset? AttemptsBefore { get; init; }

    /// <summary>Gets the cut-off for tasks parked as failed (by their last attempt).</summary>
    public DateTimeOffset? FailedBefore { get; init; }

    /// <summary>Gets the cut-off for incoming idempotency keys.</summary>
    public DateTimeOffset? IdempotencyKeysBefore { get; init; }

    /// <summary>Gets the cut-off for recorded Standard Webhooks message IDs (see <see cref="QueueStore.AppendWebhookAsync"/>).</summary>
    public DateTimeOffset? WebhookMessagesBefore { get; init; }

    /// <summary>Gets the cut-off for the history of delivered tasks (by delivery time).</summary>
    public DateTimeOffset? HistoryBefore { get; init; }

    /// <summary>Gets the cut-off for audit entries.</summary>
    public DateTimeOffset? AuditBefore { get; init; }
}
