using System.Globalization;
using System.Net;
using System.Text;
using IntegrationBus.AspNetCore.Tests.Support;
using IntegrationBus.Webhooks;
using Microsoft.Extensions.Options;

namespace IntegrationBus.AspNetCore.Tests.Incoming;

/// <summary>Standard Webhooks signatures at the incoming endpoint: what is refused with 401, key rotation, and the custom scheme beside it.</summary>
public sealed class WebhookAuthenticationTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("wrong-secret", "No signature in the webhook-signature header matches")]
    [InlineData("stale", "too old")]
    [InlineData("future", "too old")]
    [InlineData("no-id", "needs the webhook-id, webhook-timestamp and webhook-signature headers")]
    [InlineData("no-timestamp", "needs the webhook-id, webhook-timestamp and webhook-signature headers")]
    [InlineData("no-signature", "needs the webhook-id, webhook-timestamp and webhook-signature headers")]
    [InlineData("altered-body", "No signature in the webhook-signature header matches")]
    public async Task PostIncoming_BadStandardWebhook_Returns401AndQueuesNothing(string fault, string reason)
    {
        await using var host = await WebhookClient.StartAsync();
        var now = host.Time.GetUtcNow();
        var body = HttpTestHost.Body();
        var request = fault switch
        {
            "wrong-secret" => WebhookClient.Signed("open", body, "msg_bad", now, WebhookClient.OtherSecret),
            "stale" => WebhookClient.Signed("open", body, "msg_bad", now.AddMinutes(-6)),
            "future" => WebhookClient.Signed("open", body, "msg_bad", now.AddMinutes(6)),
            "altered-body" => WithBody(WebhookClient.Signed("open", body, "msg_bad", now), HttpTestHost.Body(email: "eve@example.com")),
            _ => WebhookClient.Signed("open", body, "msg_bad", now),
        };
        request.Headers.Remove(fault switch { "no-id" => "webhook-id", "no-timestamp" => "webhook-timestamp", "no-signature" => "webhook-signature", _ => "x-none" });

        var response = await host.Client.SendAsync(request, Token);

        var problem = await HttpTestHost.AssertProblemAsync(response, 401, "unauthorized");
        var detail = problem.GetProperty("detail").GetString()!;
        Assert.Contains(reason, detail, StringComparison.Ordinal);
        Assert.Contains("'open'", detail, StringComparison.Ordinal);
        Assert.DoesNotContain(WebhookClient.Secret[6..], detail, StringComparison.Ordinal);
        Assert.Empty(await host.TasksAsync());
    }

    [Fact]
    public async Task PostIncoming_RefusedWebhook_DoesNotUseUpItsId()
    {
        await using var host = await WebhookClient.StartAsync();
        var now = host.Time.GetUtcNow();
        await host.Client.SendAsync(WebhookClient.Signed("open", HttpTestHost.Body(), "msg_late", now, WebhookClient.OtherSecret), Token);

        var genuine = await host.Client.SendAsync(WebhookClient.Signed("open", HttpTestHost.Body(), "msg_late", now), Token);

        Assert.Equal(HttpStatusCode.Accepted, genuine.StatusCode);
    }

    [Fact]
    public async Task PostIncoming_TwoSecretsWhileRotating_AcceptsEitherAndBoth()
    {
        await using var host = await WebhookClient.StartAsync(o => o.Connectors["open"].WebhookSecrets.Add(WebhookClient.OtherSecret));
        var now = host.Time.GetUtcNow();
        var body = HttpTestHost.Body();
        var both = HttpTestHost.Incoming("open", body, apiKey: null);
        both.Headers.Add("webhook-id", "msg_both");
        both.Headers.Add("webhook-timestamp", now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        both.Headers.Add("webhook-signature", WebhookSignature.Sign([WebhookSecret.Parse(WebhookClient.OtherSecret), WebhookSecret.Parse(WebhookClient.Secret)], "msg_both", now, Encoding.UTF8.GetBytes(body)));

        var old = await host.Client.SendAsync(WebhookClient.Signed("open", body, "msg_old", now), Token);
        var fresh = await host.Client.SendAsync(WebhookClient.Signed("open", body, "msg_new", now, WebhookClient.OtherSecret), Token);
        var dual = await host.Client.SendAsync(both, Token);
        var notTheirs = await host.Client.SendAsync(WebhookClient.Signed("hooks", body, "msg_hooks", now, WebhookClient.OtherSecret), Token);

        Assert.Equal([HttpStatusCode.Accepted, HttpStatusCode.Accepted, HttpStatusCode.Accepted], new[] { old.StatusCode, fresh.StatusCode, dual.StatusCode });
        await HttpTestHost.AssertProblemAsync(notTheirs, 401, "unauthorized");
        Assert.Equal(3, (await host.TasksAsync("open")).Count);
    }

    [Fact]
    public async Task PostIncoming_ConnectorWithBothSchemes_AcceptsEitherAndRefusesUnsigned()
    {
        await using var host = await WebhookClient.StartAsync(o => o.Connectors["signed"].WebhookSecrets.Add(WebhookClient.Secret));
        var custom = host.Signed(HttpTestHost.Body());
        var webhook = WebhookClient.Signed("signed", HttpTestHost.Body(), "msg_signed", host.Time.GetUtcNow());
        webhook.Headers.Add("X-Api-Key", HttpTestHost.SignedKey);
        var wrongWebhook = WebhookClient.Signed("signed", HttpTestHost.Body(), "msg_signed_2", host.Time.GetUtcNow(), WebhookClient.OtherSecret);
        wrongWebhook.Headers.Add("X-Api-Key", HttpTestHost.SignedKey);

        var customResponse = await host.Client.SendAsync(custom, Token);
        var webhookResponse = await host.Client.SendAsync(webhook, Token);
        var wrongResponse = await host.Client.SendAsync(wrongWebhook, Token);
        var unsigned = await host.Client.SendAsync(HttpTestHost.Incoming("signed", HttpTestHost.Body(), HttpTestHost.SignedKey), Token);

        Assert.Equal(HttpStatusCode.Accepted, customResponse.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, webhookResponse.StatusCode);
        await HttpTestHost.AssertProblemAsync(wrongResponse, 401, "unauthorized");
        var problem = await HttpTestHost.AssertProblemAsync(unsigned, 401, "unauthorized");
        Assert.Contains("Standard Webhooks headers", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(2, (await host.TasksAsync("signed")).Count);
    }

    [Fact]
    public async Task PostIncoming_WebhookConnectorWithApiKey_StillNeedsTheKey()
    {
        await using var host = await WebhookClient.StartAsync(o => o.Connectors["open"].ApiKeys.Add(HttpTestHost.CrmKey));

        var response = await host.Client.SendAsync(WebhookClient.Signed("open", HttpTestHost.Body(), "msg_keyless", host.Time.GetUtcNow()), Token);

        await HttpTestHost.AssertProblemAsync(response, 401, "unauthorized");
        Assert.Empty(await host.TasksAsync());
    }

    [Fact]
    public async Task Start_InvalidWebhookSecret_FailsNamingTheOptionWithoutTheSecret()
    {
        var exception = await Assert.ThrowsAsync<OptionsValidationException>(() => WebhookClient.StartAsync(o =>
        {
            o.Connectors["hooks"].WebhookSecrets.Add("whsec_not*base64");
            o.Connectors["hooks"].WebhookSecrets.Add("whsec_" + Convert.ToBase64String(new byte[8]));
        }));

        Assert.Contains("Connectors['hooks'].WebhookSecrets[1] is not a Standard Webhooks secret", exception.Message, StringComparison.Ordinal);
        Assert.Contains("Connectors['hooks'].WebhookSecrets[2]", exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("not*base64", exception.Message, StringComparison.Ordinal);
    }

    private static HttpRequestMessage WithBody(HttpRequestMessage request, string body)
    {
        request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        return request;
    }
}
