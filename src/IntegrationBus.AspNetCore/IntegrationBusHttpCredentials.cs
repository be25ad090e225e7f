namespace IntegrationBus.AspNetCore;

/// <summary>The credentials one connector's sender must present.</summary>
/// <remarks>
/// <para>
/// With API keys, every request needs an <c>X-Api-Key</c> header that equals one of them (several allow rotation).
/// With an HMAC secret, every request also needs <c>X-IntegrationBus-Timestamp</c> (unix seconds) and
/// <c>X-IntegrationBus-Signature: sha256=&lt;hex&gt;</c>, the HMAC-SHA256 of <c>"{timestamp}.{rawBody}"</c>.
/// </para>
/// <para>
/// With webhook secrets, every request needs the Standard Webhooks headers <c>webhook-id</c>, <c>webhook-timestamp</c>
/// and <c>webhook-signature</c>, signed with one of them. When a connector has both an HMAC secret and webhook secrets, a
/// request that carries <c>webhook-signature</c> is judged by Standard Webhooks alone; any other request needs the
/// <c>X-IntegrationBus-*</c> signature.
/// </para>
/// </remarks>
public sealed class IntegrationBusHttpCredentials
{
    /// <summary>Gets the accepted API keys.</summary>
    /// <value>Empty: no API key is required.</value>
    public IList<string> ApiKeys { get; } = [];

    /// <summary>Gets or sets the shared secret of the HMAC-SHA256 request signature.</summary>
    /// <value><see langword="null"/>: no signature is required. At least 16 characters when set.</value>
    public string? HmacSecret { get; set; }

    /// <summary>Gets the accepted Standard Webhooks secrets, each <c>whsec_</c> followed by the base64 of 24 to 64 random bytes.</summary>
    /// <remarks>
    /// A request must carry a <c>webhook-signature</c> made with one of them; two let a sender rotate its key. Its
    /// <c>webhook-id</c> is recorded in the task store with the task, so a retry of the same message is answered as a
    /// repeat and the same message sent to another connector is refused. Create one with <c>WebhookSecret.Generate()</c>.
    /// </remarks>
    /// <value>Empty: no Standard Webhooks signature is accepted or required.</value>
    public IList<string> WebhookSecrets { get; } = [];

    internal bool HasAny => ApiKeys.Count > 0 || HmacSecret is not null || WebhookSecrets.Count > 0;
}
