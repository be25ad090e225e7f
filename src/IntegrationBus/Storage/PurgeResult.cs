namespace IntegrationBus.Storage;

/// <summary>How many rows of each kind retention deleted.</summary>
public sealed record PurgeResult
{
    /// <summary>Gets the attempt-log entries deleted.</summary>
    public long Attempts { get; init; }

    /// <summary>Gets the parked synchronizations deleted.</summary>
    public long FailedSynchronizations { get; init; }

    /// <summary>Gets the idempotency keys deleted.</summary>
    public long IdempotencyKeys { get; init; }

    /// <summary>Gets the recorded Standard Webhooks message IDs deleted.</summary>
    public long WebhookMessages { get; init; }

    /// <summary>Gets the history entries deleted.</summary>
    public long History { get; init; }

    /// <summary>Gets the audit entries deleted.</summary>
    public long Audit { get; init; }

    /// <summary>Gets every row deleted.</summary>
    public long Total => Attempts + FailedSynchronizations + IdempotencyKeys + WebhookMessages + History + Audit;
}
