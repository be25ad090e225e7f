namespace IntegrationBus.Webhooks;

/// <summary>The defaults of <see cref="WebhookConnectorOptions"/> and <see cref="WebhookSubscriptionOptions"/>.</summary>
internal static class WebhookDefaults
{
    public const DataType DataType = IntegrationBus.DataType.SimpleSnapshot;
    public const bool AllowPrivateNetwork = false;

    /// <summary>How many bytes of a refusing answer's body go into the attempt log.</summary>
    public const int ResponseBodyBytes = 512;

    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    /// <summary>The longest <c>Retry-After</c> obeyed; a longer one is cut to this, so a receiver cannot park a queue for days.</summary>
    public static readonly TimeSpan MaxRetryAfter = TimeSpan.FromHours(1);
}
