namespace IntegrationBus;

/// <summary>The defaults of <see cref="IntegrationBusOptions"/>.</summary>
internal static class IntegrationBusDefaults
{
    public const int BatchSize = 100;
    public const int IncomingBatchSize = 500;
    public const int ResyncBatchSize = 500;
    public static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan MaxRetryDelay = TimeSpan.FromMinutes(5);
    public static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan LeaseDuration = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan IdempotencyRetention = TimeSpan.FromHours(24);

    /// <summary>The shortest time a Standard Webhooks message ID is kept: twice the longest signature tolerance (1 hour), since a timestamp may be that far either way.</summary>
    public static readonly TimeSpan MinimumWebhookRetention = TimeSpan.FromHours(2);
    public static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan RetentionInterval = TimeSpan.FromHours(1);
    public static readonly TimeSpan QueueFiguresInterval = TimeSpan.FromSeconds(15);
    public const bool ProducerOnly = false;
}
