using System.Security.Cryptography;

namespace IntegrationBus.Webhooks;

/// <summary>
/// A verified Standard Webhooks message as the store records it against replays: its <c>webhook-id</c> and a SHA-256
/// of its body, bound to the connector that received it.
/// </summary>
/// <remarks>
/// The signed content (<c>id.timestamp.body</c>) does not name the connector, so a message one connector accepted would
/// verify at every connector that shares the secret. Recording the ID once, for all connectors, closes that: the same ID
/// at another connector, or with another body, is refused; the same message at the same connector (a sender's retry,
/// re-signed or not) is a repeat of the first task. The timestamp is left out on purpose, since a retry is re-signed.
/// </remarks>
/// <param name="MessageId">The <c>webhook-id</c>, unique per message across all senders; at most <see cref="MaxMessageIdLength"/> characters.</param>
/// <param name="BodyHash">The lowercase hex SHA-256 of the body, exactly as received (see <see cref="Create"/>).</param>
public sealed record WebhookReceipt(string MessageId, string BodyHash)
{
    /// <summary>The longest <c>webhook-id</c> accepted, in characters.</summary>
    public const int MaxMessageIdLength = 256;

    /// <summary>Creates the receipt of a message from its ID and its body.</summary>
    /// <param name="messageId">The <c>webhook-id</c>.</param>
    /// <param name="body">The body, exactly as received.</param>
    /// <returns>The receipt.</returns>
    /// <exception cref="ArgumentException">The ID is blank or longer than <see cref="MaxMessageIdLength"/>.</exception>
    public static WebhookReceipt Create(string messageId, ReadOnlySpan<byte> body)
    {
        var receipt = new WebhookReceipt(messageId, Convert.ToHexStringLower(SHA256.HashData(body)));
        receipt.Validate();
        return receipt;
    }

    /// <summary>Checks the receipt before it is stored.</summary>
    /// <exception cref="ArgumentException">The ID is blank or too long, or the body hash is blank.</exception>
    public void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(MessageId, nameof(MessageId));
        ArgumentException.ThrowIfNullOrWhiteSpace(BodyHash, nameof(BodyHash));
        if (MessageId.Length > MaxMessageIdLength)
        {
            throw new ArgumentException($"The webhook-id is {MessageId.Length} characters long; at most {MaxMessageIdLength} are accepted.", nameof(MessageId));
        }
    }
}
