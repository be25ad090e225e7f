namespace IntegrationBus.AspNetCore;

/// <summary>The credentials one connector's sender must present.</summary>
/// <remarks>
/// With API keys, every request needs an <c>X-Api-Key</c> header that equals one of them (several allow rotation).
/// With an HMAC secret, every request also needs <c>X-IntegrationBus-Timestamp</c> (unix seconds) and
/// <c>X-IntegrationBus-Signature: sha256=&lt;hex&gt;</c>, the HMAC-SHA256 of <c>"{timestamp}.{rawBody}"</c>.
/// </remarks>
public sealed class IntegrationBusHttpCredentials
{
    /// <summary>Gets the accepted API keys.</summary>
    /// <value>Empty: no API key is required.</value>
    public IList<string> ApiKeys { get; } = [];

    /// <summary>Gets or sets the shared secret of the HMAC-SHA256 request signature.</summary>
    /// <value><see langword="null"/>: no signature is required. At least 16 characters when set.</value>
    public string? HmacSecret { get; set; }

    internal bool HasAny => ApiKeys.Count > 0 || HmacSecret is not null;
}
