using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace IntegrationBus.Webhooks;

/// <summary>A Standard Webhooks signing secret: the <c>whsec_</c> prefix followed by the base64 of the key.</summary>
/// <remarks>
/// The same secret signs (the webhook connector) and verifies (the incoming endpoint). The key is never shown:
/// <see cref="ToString"/> is redacted, so a secret that ends up in a log line or an exception leaks nothing.
/// </remarks>
public sealed class WebhookSecret
{
    /// <summary>The prefix of a Standard Webhooks secret.</summary>
    public const string Prefix = "whsec_";

    /// <summary>The shortest key accepted, in bytes (the specification asks for 24 to 64).</summary>
    public const int MinimumKeyLength = 24;

    private readonly byte[] _key;

    private WebhookSecret(byte[] key) => _key = key;

    /// <summary>Gets the key's bytes.</summary>
    internal ReadOnlySpan<byte> Key => _key;

    /// <summary>Parses a secret written as <c>whsec_</c> + base64 (the prefix may be left out).</summary>
    /// <param name="secret">The secret.</param>
    /// <returns>The secret.</returns>
    /// <exception cref="ArgumentException">The secret is empty, not base64 after the prefix, or shorter than <see cref="MinimumKeyLength"/> bytes.</exception>
    public static WebhookSecret Parse(string secret)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(secret);
        return TryParse(secret, out var parsed, out var error) ? parsed : throw new ArgumentException(error, nameof(secret));
    }

    /// <summary>Parses a secret written as <c>whsec_</c> + base64 (the prefix may be left out).</summary>
    /// <param name="secret">The secret.</param>
    /// <param name="result">The secret, when it parsed.</param>
    /// <returns><see langword="true"/> when the secret parsed.</returns>
    public static bool TryParse([NotNullWhen(true)] string? secret, [NotNullWhen(true)] out WebhookSecret? result) => TryParse(secret, out result, out _);

    /// <summary>Creates a new random secret of 32 bytes, written as <c>whsec_</c> + base64.</summary>
    /// <returns>The secret's text, to configure on both sides.</returns>
    public static string Generate() => Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    /// <inheritdoc />
    public override string ToString() => Prefix + "(redacted)";

    private static bool TryParse(string? secret, [NotNullWhen(true)] out WebhookSecret? result, out string error)
    {
        result = null;
        if (string.IsNullOrWhiteSpace(secret))
        {
            error = "The webhook secret is empty; write it as 'whsec_' followed by the base64 of at least 24 random bytes.";
            return false;
        }

        var text = secret.StartsWith(Prefix, StringComparison.Ordinal) ? secret[Prefix.Length..] : secret;
        var buffer = new byte[(text.Length * 3 / 4) + 3];
        if (!Convert.TryFromBase64String(text, buffer, out var length))
        {
            error = "The webhook secret is not valid: after the 'whsec_' prefix it must be base64 (for example from WebhookSecret.Generate()).";
            return false;
        }

        if (length < MinimumKeyLength)
        {
            error = $"The webhook secret's key has {length} bytes; Standard Webhooks asks for at least {MinimumKeyLength} (WebhookSecret.Generate() makes 32).";
            return false;
        }

        result = new WebhookSecret(buffer[..length]);
        error = string.Empty;
        return true;
    }
}
