using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using IntegrationBus.Webhooks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace IntegrationBus.AspNetCore.Incoming;

/// <summary>Checks a request's API key and signature (Standard Webhooks or the <c>X-IntegrationBus-*</c> HMAC) against its connector's credentials, in constant time.</summary>
internal sealed class RequestAuthenticator(IOptions<IntegrationBusHttpOptions> options, ReplayCache replays, TimeProvider timeProvider)
{
    public const string ApiKeyHeader = "X-Api-Key";
    public const string TimestampHeader = "X-IntegrationBus-Timestamp";
    public const string SignatureHeader = "X-IntegrationBus-Signature";
    private const string SignaturePrefix = "sha256=";
    private readonly ConcurrentDictionary<string, WebhookSecret[]> _webhookSecrets = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Checks what can be checked before the body is read: that credentials exist and the API key.</summary>
    /// <returns>Why the request is refused, or <see langword="null"/>.</returns>
    public string? CheckApiKey(string connector, IHeaderDictionary headers)
    {
        var credentials = Find(connector);
        if (credentials is null || !credentials.HasAny)
        {
            return options.Value.AllowAnonymous
                ? null
                : $"Connector '{connector}' has no credentials configured and AllowAnonymous is off; configure IntegrationBusHttpOptions.Connectors['{connector}'] (ApiKeys, HmacSecret or WebhookSecrets).";
        }

        if (credentials.ApiKeys.Count == 0)
        {
            return null;
        }

        var presented = headers[ApiKeyHeader].ToString();
        if (presented.Length == 0)
        {
            return $"The {ApiKeyHeader} header is missing.";
        }

        var presentedHash = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        var match = false;
        foreach (var key in credentials.ApiKeys)
        {
            // Equal-length hashes: neither the key's length nor its content leaks through timing.
            match |= CryptographicOperations.FixedTimeEquals(presentedHash, SHA256.HashData(Encoding.UTF8.GetBytes(key)));
        }

        return match ? null : $"The {ApiKeyHeader} is not valid for connector '{connector}'.";
    }

    /// <summary>
    /// Checks the request's signature over the raw body: Standard Webhooks when the connector has webhook secrets (and,
    /// if it also has an HMAC secret, the request carries <c>webhook-signature</c>), else the <c>X-IntegrationBus-*</c>
    /// HMAC when it has an HMAC secret, which is remembered in memory against replays.
    /// </summary>
    /// <param name="connector">The connector.</param>
    /// <param name="headers">The request headers.</param>
    /// <param name="body">The raw body.</param>
    /// <param name="replayKey">The key under which an HMAC signature was remembered, or <see langword="null"/>.</param>
    /// <param name="webhook">The verified Standard Webhooks message, to record with its task, or <see langword="null"/>.</param>
    /// <returns>Why the request is refused, or <see langword="null"/>.</returns>
    public string? CheckSignature(string connector, IHeaderDictionary headers, ReadOnlySpan<byte> body, out string? replayKey, out WebhookReceipt? webhook)
    {
        replayKey = null;
        webhook = null;
        if (Find(connector) is not { } credentials)
        {
            return null;
        }

        if (credentials.WebhookSecrets.Count > 0 && (credentials.HmacSecret is null || headers.ContainsKey(WebhookSignature.SignatureHeader)))
        {
            return CheckWebhook(connector, credentials, headers, body, out webhook);
        }

        return credentials.HmacSecret is { } secret ? CheckHmac(connector, secret, credentials.WebhookSecrets.Count > 0, headers, body, out replayKey) : null;
    }

    private string? CheckWebhook(string connector, IntegrationBusHttpCredentials credentials, IHeaderDictionary headers, ReadOnlySpan<byte> body, out WebhookReceipt? webhook)
    {
        webhook = null;
        var id = headers[WebhookSignature.IdHeader].ToString();
        if (id.Length > WebhookReceipt.MaxMessageIdLength)
        {
            return $"The {WebhookSignature.IdHeader} header is {id.Length} characters long; use at most {WebhookReceipt.MaxMessageIdLength}.";
        }

        var secrets = _webhookSecrets.GetOrAdd(connector, static (_, list) => [.. list.Select(WebhookSecret.Parse)], credentials.WebhookSecrets);
        if (!WebhookSignature.Verify(
            secrets, id, headers[WebhookSignature.TimestampHeader].ToString(), headers[WebhookSignature.SignatureHeader].ToString(), body,
            timeProvider.GetUtcNow(), options.Value.SignatureTolerance, out var failure))
        {
            return $"Connector '{connector}' requires a Standard Webhooks signature: {failure}";
        }

        webhook = WebhookReceipt.Create(id, body);
        return null;
    }

    private string? CheckHmac(string connector, string secret, bool webhooksToo, IHeaderDictionary headers, ReadOnlySpan<byte> body, out string? replayKey)
    {
        replayKey = null;
        var timestampText = headers[TimestampHeader].ToString();
        var signatureText = headers[SignatureHeader].ToString();
        if (timestampText.Length == 0 || signatureText.Length == 0)
        {
            return webhooksToo
                ? $"The {TimestampHeader} and {SignatureHeader} headers, or the Standard Webhooks headers ({WebhookSignature.IdHeader}, {WebhookSignature.TimestampHeader}, {WebhookSignature.SignatureHeader}), are required for connector '{connector}'."
                : $"The {TimestampHeader} and {SignatureHeader} headers are required for connector '{connector}'.";
        }

        if (!long.TryParse(timestampText, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || seconds > DateTimeOffset.MaxValue.ToUnixTimeSeconds())
        {
            return $"{TimestampHeader} '{Truncate(timestampText)}' is not a unix time in seconds.";
        }

        var timestamp = DateTimeOffset.FromUnixTimeSeconds(seconds);
        var tolerance = options.Value.SignatureTolerance;
        var now = timeProvider.GetUtcNow();
        if ((now - timestamp).Duration() > tolerance)
        {
            return $"{TimestampHeader} {seconds} is more than {tolerance.TotalSeconds:0} seconds away from the server's clock ({now.ToUnixTimeSeconds()}); sign with the current time.";
        }

        if (!signatureText.StartsWith(SignaturePrefix, StringComparison.OrdinalIgnoreCase)
            || !TryFromHex(signatureText.AsSpan(SignaturePrefix.Length), out var presented))
        {
            return $"{SignatureHeader} must be 'sha256=' followed by 64 hex digits.";
        }

        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(secret));
        hmac.AppendData(Encoding.UTF8.GetBytes(timestampText + "."));
        hmac.AppendData(body);
        if (!CryptographicOperations.FixedTimeEquals(hmac.GetHashAndReset(), presented))
        {
            return $"The {SignatureHeader} does not match the body and timestamp for connector '{connector}'.";
        }

        var key = connector.ToUpperInvariant() + ":" + Convert.ToHexString(presented);
        if (!replays.TryRemember(key, timestamp + tolerance))
        {
            return $"This signature was already used; sign every request anew (with a fresh {TimestampHeader}).";
        }

        replayKey = key;
        return null;
    }

    private static bool TryFromHex(ReadOnlySpan<char> hex, out byte[] bytes)
    {
        bytes = new byte[SHA256.HashSizeInBytes];
        return hex.Length == SHA256.HashSizeInBytes * 2
            && Convert.FromHexString(hex, bytes, out _, out var written) == System.Buffers.OperationStatus.Done
            && written == bytes.Length;
    }

    private static string Truncate(string value) => value.Length <= 32 ? value : value[..32] + "…";

    private IntegrationBusHttpCredentials? Find(string connector) =>
        options.Value.Connectors.TryGetValue(connector, out var credentials) ? credentials : null;
}
