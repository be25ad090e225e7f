using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace IntegrationBus.Webhooks;

/// <summary>One webhook connector configured without code: where to POST, how to sign, and which changes to send.</summary>
/// <remarks>
/// Bound from one entry of the section given to <see cref="IntegrationBusBuilder.AddWebhookConnectors"/>; the entry's key is
/// the connector's code name. The same entry may also hold the <see cref="ConnectorOptions"/> keys (<c>MaxAttempts</c>,
/// <c>TaskTimeout</c>, <c>Ordering</c>, <c>MaxDegreeOfParallelism</c>, <c>Partitions</c>). Validated when the bus starts; a failure names the connector and the configuration key.
/// </remarks>
public sealed class WebhookConnectorOptions
{
    /// <summary>Gets or sets the name shown to operators.</summary>
    /// <value><see langword="null"/>: the code name.</value>
    [MaxLength(200)]
    public string? DisplayName { get; set; }

    /// <summary>Gets or sets the absolute <c>http</c> or <c>https</c> address every task is POSTed to.</summary>
    /// <value><see langword="null"/>; required.</value>
    public Uri? Url { get; set; }

    /// <summary>Gets the Standard Webhooks secrets (<c>whsec_</c> + base64): every delivery carries one signature per secret, so a receiver can move from an old secret to a new one without losing messages.</summary>
    /// <value>Empty; at least one is required.</value>
    public IList<string> Secrets { get; } = [];

    /// <summary>Gets or sets how long one HTTP request may take (connecting, sending and reading the answer) before it is abandoned as an Error.</summary>
    /// <value>30 seconds.</value>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:10:00")]
    public TimeSpan Timeout { get; set; } = WebhookDefaults.Timeout;

    /// <summary>Gets the extra request headers (for example an API key the receiver expects); they cannot replace the <c>webhook-*</c> or content headers.</summary>
    /// <value>Empty.</value>
    public IDictionary<string, string> Headers { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Gets or sets a value indicating whether the URL may resolve to a loopback, link-local or private address.</summary>
    /// <remarks>
    /// Off, the connector refuses to connect to such an address (a server-side request forgery guard: whoever can edit the
    /// configuration or the DNS cannot make the bus call internal services or the cloud metadata endpoint). Turn it on only
    /// for a receiver on the same host or network.
    /// </remarks>
    /// <value><see langword="false"/>.</value>
    public bool AllowPrivateNetwork { get; set; } = WebhookDefaults.AllowPrivateNetwork;

    /// <summary>Gets the subscriptions: which changes are sent, with the same filters as <see cref="SubscriptionBuilder"/> in code.</summary>
    /// <value>Empty; at least one is required.</value>
    [ValidateEnumeratedItems]
    public IList<WebhookSubscriptionOptions> Subscriptions { get; } = [];
}
