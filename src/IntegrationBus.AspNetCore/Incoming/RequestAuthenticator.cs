using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace IntegrationBus.AspNetCore.Incoming;

/// <summary>Checks a request's API key and HMAC signature against its connector's credentials, in constant time.</summary>
internal sealed class RequestAuthenticator(IOptions<IntegrationBusHttpOptions> options, ReplayCache replays, TimeProvider timeProvider)
{
    public const string ApiKeyHeader = "X-Api-Key";
    public const string TimestampHeader = "X-IntegrationBus-Timestamp";
    public const string SignatureHeader = "X-IntegrationBus-Signature";
    private const string SignaturePrefix = "sha256=";

    /// <summary>Checks what can be checked before the body is read: that credentials exist and the API key.</summary>
    /// <returns>Why the request is refused, or <see langword="null"/>.</returns>
    public string? CheckApiKey(string connector, IHeaderDictionary headers)
    {
        var credentials = Find(connector);
        if (credentials is null || !credentials.HasAny)
        {
            return options.Value.AllowAnonymous
                ? null
                : $"Connector '{connector}' has no credentials configured and AllowAnonymous is off; configure IntegrationBusHttpOptions.Connectors['{connector}'] (ApiKeys or HmacSecret).";
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

    /// <summary>Checks the HMAC signature over the raw body, when the connector has a secret, and remembers it against replays.</summary>
    /// <param name="connector">The connector.</param>
    /// <param name="headers">The request headers.</param>
    /// <param name="body">The raw body.</param>
    /// <param name="replayKey">The key under which the signature was remembered, or <see langword="null"/>.</param>
    /// <returns>Why the request is refused, or <see langword="null"/>.</returns>
    public string? CheckSignature(string connector, IHeaderDictionary headers, ReadOnlySpan<byte> body, out string? replayKey)
    {
        replayKey = null;
        if (Find(connector)?.HmacSecret is not { } secret)
        {
            return null;
        }

        var timestampText = headers[TimestampHeader].ToString();
        var signatureText = headers[SignatureHeader].ToString();
        if (timestampText.Length == 0 || signatureText.Length == 0)
        {
            return $"The {TimestampHeader} and {SignatureHeader} headers are required for connector '{connector}'.";
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
