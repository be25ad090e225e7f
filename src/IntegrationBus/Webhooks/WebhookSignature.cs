using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace IntegrationBus.Webhooks;

/// <summary>Signs and verifies messages by the Standard Webhooks specification (<c>webhook-id</c>, <c>webhook-timestamp</c>, <c>webhook-signature</c>).</summary>
/// <remarks>
/// The signature is <c>v1,</c> + base64 of HMAC-SHA256 over <c>id.timestamp.body</c> with the secret's key; the timestamp
/// is in whole seconds since the Unix epoch. Several signatures, separated by spaces, let a sender sign with an old and a
/// new secret while a key is rotated; a receiver accepts the message when any of them matches any of its secrets.
/// Comparisons run in constant time.
/// </remarks>
public static class WebhookSignature
{
    /// <summary>The header that carries the message's ID (stable across retries of one message).</summary>
    public const string IdHeader = "webhook-id";

    /// <summary>The header that carries the time of sending, in seconds since the Unix epoch.</summary>
    public const string TimestampHeader = "webhook-timestamp";

    /// <summary>The header that carries the signatures, <c>v1,</c> + base64 each, separated by spaces.</summary>
    public const string SignatureHeader = "webhook-signature";

    private const string Version = "v1,";
    private const int SignatureLength = 32;

    /// <summary>Signs a message with each secret.</summary>
    /// <param name="secrets">The secrets (one, or two while a key is rotated).</param>
    /// <param name="messageId">The message ID sent in <see cref="IdHeader"/>.</param>
    /// <param name="timestamp">The time sent in <see cref="TimestampHeader"/>; cut to whole seconds.</param>
    /// <param name="body">The body, exactly as sent.</param>
    /// <returns>The value of <see cref="SignatureHeader"/>.</returns>
    /// <exception cref="ArgumentException">No secret is given, or the message ID is empty.</exception>
    public static string Sign(IEnumerable<WebhookSecret> secrets, string messageId, DateTimeOffset timestamp, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        ArgumentException.ThrowIfNullOrWhiteSpace(messageId);
        var seconds = FormatTimestamp(timestamp);
        var value = new StringBuilder();
        Span<byte> hash = stackalloc byte[SignatureLength];
        foreach (var secret in secrets)
        {
            ArgumentNullException.ThrowIfNull(secret, nameof(secrets));
            Compute(secret, messageId, seconds, body, hash);
            value.Append(value.Length == 0 ? string.Empty : " ").Append(Version).Append(Convert.ToBase64String(hash));
        }

        return value.Length == 0 ? throw new ArgumentException("At least one secret is needed to sign a webhook.", nameof(secrets)) : value.ToString();
    }

    /// <summary>Writes a time as <see cref="TimestampHeader"/> carries it: whole seconds since the Unix epoch.</summary>
    /// <param name="timestamp">The time.</param>
    /// <returns>The header's value.</returns>
    public static string FormatTimestamp(DateTimeOffset timestamp) => timestamp.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

    /// <summary>Verifies a message's signature and the freshness of its timestamp.</summary>
    /// <param name="secrets">The secrets the receiver accepts.</param>
    /// <param name="messageId">The value of <see cref="IdHeader"/>.</param>
    /// <param name="timestamp">The value of <see cref="TimestampHeader"/>.</param>
    /// <param name="signatures">The value of <see cref="SignatureHeader"/>.</param>
    /// <param name="body">The body, exactly as received.</param>
    /// <param name="now">The receiver's time.</param>
    /// <param name="tolerance">How far the timestamp may be from <paramref name="now"/>, either way (the specification suggests 5 minutes).</param>
    /// <param name="failure">Why the message is refused, when it is.</param>
    /// <returns><see langword="true"/> when a signature matches one of the secrets and the timestamp is within the tolerance.</returns>
    public static bool Verify(
        IReadOnlyCollection<WebhookSecret> secrets, string? messageId, string? timestamp, string? signatures, ReadOnlySpan<byte> body,
        DateTimeOffset now, TimeSpan tolerance, [NotNullWhen(false)] out string? failure)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        failure = Check(messageId, timestamp, signatures, now, tolerance);
        if (failure is not null)
        {
            return false;
        }

        Span<byte> expected = stackalloc byte[SignatureLength];
        Span<byte> presented = stackalloc byte[SignatureLength + 3];
        var match = false;
        foreach (var secret in secrets)
        {
            Compute(secret, messageId!, timestamp!, body, expected);
            foreach (var part in signatures!.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                match |= part.StartsWith(Version, StringComparison.Ordinal)
                    && Convert.TryFromBase64String(part[Version.Length..], presented, out var length)
                    && length == SignatureLength
                    && CryptographicOperations.FixedTimeEquals(expected, presented[..SignatureLength]);
            }
        }

        failure = match ? null : $"No signature in the {SignatureHeader} header matches the body for webhook '{messageId}'.";
        return match;
    }

    private static string? Check(string? messageId, string? timestamp, string? signatures, DateTimeOffset now, TimeSpan tolerance)
    {
        if (string.IsNullOrWhiteSpace(messageId) || string.IsNullOrWhiteSpace(timestamp) || string.IsNullOrWhiteSpace(signatures))
        {
            return $"A Standard Webhooks message needs the {IdHeader}, {TimestampHeader} and {SignatureHeader} headers.";
        }

        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || seconds > DateTimeOffset.MaxValue.ToUnixTimeSeconds())
        {
            return $"The {TimestampHeader} header '{timestamp}' is not a whole number of seconds since the Unix epoch.";
        }

        var sent = DateTimeOffset.FromUnixTimeSeconds(seconds);
        return (sent - now).Duration() > tolerance
            ? $"The {TimestampHeader} {sent:O} is more than {tolerance.TotalSeconds:0} s away from the receiver's time {now:O}; the message is too old (or its sender's clock is wrong)."
            : null;
    }

    private static void Compute(WebhookSecret secret, string messageId, string timestamp, ReadOnlySpan<byte> body, Span<byte> hash)
    {
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, secret.Key);
        hmac.AppendData(Encoding.UTF8.GetBytes(messageId + "." + timestamp + "."));
        hmac.AppendData(body);
        hmac.GetHashAndReset(hash);
    }
}
