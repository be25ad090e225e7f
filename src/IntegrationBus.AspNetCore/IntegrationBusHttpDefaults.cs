namespace IntegrationBus.AspNetCore;

/// <summary>The defaults and limits of <see cref="IntegrationBusHttpOptions"/>.</summary>
internal static class IntegrationBusHttpDefaults
{
    public const long MaxBodySize = 1024 * 1024;
    public const long MinimumBodySize = 1024;
    public const long MaximumBodySize = 100 * 1024 * 1024;
    public const int MinimumApiKeyLength = 8;
    public const int MinimumHmacSecretLength = 16;
    public const int MaxIdempotencyKeyLength = 200;
    public static readonly TimeSpan SignatureTolerance = TimeSpan.FromMinutes(5);
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(1);
}
