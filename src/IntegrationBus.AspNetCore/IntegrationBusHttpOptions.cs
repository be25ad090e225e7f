using System.ComponentModel.DataAnnotations;

namespace IntegrationBus.AspNetCore;

/// <summary>Options of the HTTP endpoints that <see cref="IntegrationBusEndpointRouteBuilderExtensions.MapIntegrationBus"/> maps.</summary>
/// <remarks>
/// Nothing is anonymous by default: a connector needs an API key, an HMAC secret or webhook secrets in <see cref="Connectors"/>,
/// unless <see cref="AllowAnonymous"/> is set. Validated at start.
/// </remarks>
public sealed class IntegrationBusHttpOptions
{
    /// <summary>Gets the credentials per connector name (case-insensitive).</summary>
    /// <value>Empty: every request is refused with 401 unless <see cref="AllowAnonymous"/> is set.</value>
    public IDictionary<string, IntegrationBusHttpCredentials> Connectors { get; } =
        new Dictionary<string, IntegrationBusHttpCredentials>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Gets or sets a value indicating whether connectors without any configured credentials accept anonymous requests.</summary>
    /// <remarks>A connector that has credentials always requires them, whatever this says.</remarks>
    /// <value><see langword="false"/>.</value>
    public bool AllowAnonymous { get; set; }

    /// <summary>Gets or sets the largest request body, in bytes; a larger one is answered with 413, with or without a Content-Length.</summary>
    /// <value>1 MiB (1,048,576 bytes); between 1 KiB and 100 MiB.</value>
    [Range(IntegrationBusHttpDefaults.MinimumBodySize, IntegrationBusHttpDefaults.MaximumBodySize)]
    public long MaxBodySize { get; set; } = IntegrationBusHttpDefaults.MaxBodySize;

    /// <summary>Gets or sets how far a signed request's <c>X-IntegrationBus-Timestamp</c> or <c>webhook-timestamp</c> may be from this node's clock, either way.</summary>
    /// <remarks>
    /// An <c>X-IntegrationBus-Signature</c> is remembered in memory for this long to refuse replays, so this also bounds
    /// that cache. A Standard Webhooks <c>webhook-id</c> is recorded in the task store for the idempotency retention (at
    /// least 2 hours), always longer than a timestamp can stay acceptable.
    /// </remarks>
    /// <value>5 minutes; between 5 seconds and 1 hour.</value>
    [Range(typeof(TimeSpan), "00:00:05", "01:00:00")]
    public TimeSpan SignatureTolerance { get; set; } = IntegrationBusHttpDefaults.SignatureTolerance;

    /// <summary>Gets or sets the <c>Retry-After</c> a 503 answer carries when the task store is busy or unavailable.</summary>
    /// <value>1 second; between 1 second and 10 minutes (sent in whole seconds, rounded up).</value>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan RetryAfter { get; set; } = IntegrationBusHttpDefaults.RetryAfter;
}
