using System.Text;
using IntegrationBus.Webhooks;
using Microsoft.AspNetCore.Http;
using StandardWebhooks;

namespace IntegrationBus.Tests.Webhooks;

public sealed class WebhookSignatureTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(5);

    [Fact]
    public void Sign_AnyMessage_VerifiesWithTheStandardWebhooksPackage()
    {
        var secret = WebhookSecret.Generate();
        var body = """{"taskType":"CreateObject","name":"Ünïcode ✓"}""";
        var messageId = Guid.NewGuid().ToString();
        var timestamp = DateTimeOffset.UtcNow;

        var signature = WebhookSignature.Sign([WebhookSecret.Parse(secret)], messageId, timestamp, Encoding.UTF8.GetBytes(body));

        var headers = new HeaderDictionary
        {
            { WebhookSignature.IdHeader, messageId },
            { WebhookSignature.TimestampHeader, WebhookSignature.FormatTimestamp(timestamp) },
            { WebhookSignature.SignatureHeader, signature },
        };
        new StandardWebhook(secret).Verify(body, headers);
    }

    [Fact]
    public void Verify_SignedByTheStandardWebhooksPackage_Accepts()
    {
        var secret = WebhookSecret.Generate();
        var body = """{"id":42}""";
        var signature = new StandardWebhook(secret).Sign("msg_1", Now, body);

        var verified = WebhookSignature.Verify(
            [WebhookSecret.Parse(secret)], "msg_1", WebhookSignature.FormatTimestamp(Now), signature, Encoding.UTF8.GetBytes(body), Now, Tolerance, out var failure);

        Assert.True(verified, failure);
    }

    [Fact]
    public void Verify_TwoSecretsDuringRotation_AcceptsEitherSide()
    {
        var old = WebhookSecret.Parse(WebhookSecret.Generate());
        var fresh = WebhookSecret.Parse(WebhookSecret.Generate());
        var body = "{}"u8.ToArray();
        var both = WebhookSignature.Sign([old, fresh], "msg_2", Now, body);

        Assert.Equal(2, both.Split(' ').Length);
        Assert.True(WebhookSignature.Verify([fresh], "msg_2", WebhookSignature.FormatTimestamp(Now), both, body, Now, Tolerance, out _));
        Assert.True(WebhookSignature.Verify([old], "msg_2", WebhookSignature.FormatTimestamp(Now), both, body, Now, Tolerance, out _));
        var onlyOld = WebhookSignature.Sign([old], "msg_2", Now, body);
        Assert.True(WebhookSignature.Verify([fresh, old], "msg_2", WebhookSignature.FormatTimestamp(Now), onlyOld, body, Now, Tolerance, out _));
    }

    [Theory]
    [InlineData("body")]
    [InlineData("id")]
    [InlineData("timestamp")]
    [InlineData("secret")]
    public void Verify_AnythingChanged_RefusesWithReason(string changed)
    {
        var secret = WebhookSecret.Parse(WebhookSecret.Generate());
        var signature = WebhookSignature.Sign([secret], "msg_3", Now, "{\"a\":1}"u8);
        var body = changed == "body" ? "{\"a\":2}"u8.ToArray() : "{\"a\":1}"u8.ToArray();
        var id = changed == "id" ? "msg_4" : "msg_3";
        var timestamp = WebhookSignature.FormatTimestamp(changed == "timestamp" ? Now.AddSeconds(1) : Now);
        var key = changed == "secret" ? WebhookSecret.Parse(WebhookSecret.Generate()) : secret;

        var verified = WebhookSignature.Verify([key], id, timestamp, signature, body, Now, Tolerance, out var failure);

        Assert.False(verified);
        Assert.Contains("No signature", failure, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-301, "too old")]
    [InlineData(301, "too old")]
    public void Verify_TimestampOutsideTolerance_Refuses(int offsetSeconds, string expected)
    {
        var secret = WebhookSecret.Parse(WebhookSecret.Generate());
        var sent = Now.AddSeconds(offsetSeconds);
        var signature = WebhookSignature.Sign([secret], "msg_5", sent, "{}"u8);

        var verified = WebhookSignature.Verify([secret], "msg_5", WebhookSignature.FormatTimestamp(sent), signature, "{}"u8, Now, Tolerance, out var failure);

        Assert.False(verified);
        Assert.Contains(expected, failure, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, "1", "v1,x", "needs the webhook-id")]
    [InlineData("m", "soon", "v1,x", "not a whole number")]
    [InlineData("m", "-5", "v1,x", "not a whole number")]
    [InlineData("m", "99999999999999999", "v1,x", "not a whole number")]
    public void Verify_MalformedHeaders_RefusesWithReason(string? id, string timestamp, string signature, string expected)
    {
        var secret = WebhookSecret.Parse(WebhookSecret.Generate());

        var verified = WebhookSignature.Verify([secret], id, timestamp, signature, "{}"u8, Now, Tolerance, out var failure);

        Assert.False(verified);
        Assert.Contains(expected, failure, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("v1,AAAA")]
    [InlineData("v2,c2lnbmF0dXJlc2lnbmF0dXJlc2lnbmF0dXJlc2lnbmE=")]
    [InlineData("not-base64-at-all")]
    public void Verify_SignatureOfWrongShape_Refuses(string signature)
    {
        var secret = WebhookSecret.Parse(WebhookSecret.Generate());

        Assert.False(WebhookSignature.Verify([secret], "m", WebhookSignature.FormatTimestamp(Now), signature, "{}"u8, Now, Tolerance, out _));
    }

    [Theory]
    [InlineData("whsec_!!!", "must be base64")]
    [InlineData("whsec_c2hvcnQ=", "at least 24")]
    [InlineData(" ", "empty")]
    public void Parse_BadSecret_ThrowsNamingTheRule(string secret, string expected)
    {
        Assert.False(WebhookSecret.TryParse(secret, out _));
        var error = Assert.ThrowsAny<ArgumentException>(() => WebhookSecret.Parse(secret));
        if (!string.IsNullOrWhiteSpace(secret))
        {
            Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Parse_WithoutPrefix_IsTheSameKey()
    {
        var secret = WebhookSecret.Generate();
        var withPrefix = WebhookSecret.Parse(secret);
        var without = WebhookSecret.Parse(secret[WebhookSecret.Prefix.Length..]);
        var signature = WebhookSignature.Sign([withPrefix], "m", Now, "{}"u8);

        Assert.True(WebhookSignature.Verify([without], "m", WebhookSignature.FormatTimestamp(Now), signature, "{}"u8, Now, Tolerance, out _));
        Assert.Equal("whsec_(redacted)", withPrefix.ToString());
    }
}
