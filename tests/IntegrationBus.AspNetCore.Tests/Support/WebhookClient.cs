using System.Globalization;
using StandardWebhooks;

namespace IntegrationBus.AspNetCore.Tests.Support;

/// <summary>
/// A Standard Webhooks sender built on the independent <c>StandardWebhooks</c> package, and the host setup of the webhook
/// tests: connectors <c>open</c> and <c>hooks</c> share <see cref="Secret"/>.
/// </summary>
public static class WebhookClient
{
    public static readonly string Secret = "whsec_" + Convert.ToBase64String([.. Enumerable.Range(1, 32).Select(i => (byte)i)]);

    public static readonly string OtherSecret = "whsec_" + Convert.ToBase64String([.. Enumerable.Range(101, 32).Select(i => (byte)i)]);

    /// <summary>Starts a host whose <c>open</c> and <c>hooks</c> connectors accept Standard Webhooks signed with <see cref="Secret"/>.</summary>
    public static Task<HttpTestHost> StartAsync(Action<IntegrationBusHttpOptions>? http = null, string? databasePath = null) =>
        HttpTestHost.StartAsync(
            o =>
            {
                o.Connectors["open"] = new IntegrationBusHttpCredentials { WebhookSecrets = { Secret } };
                o.Connectors["hooks"] = new IntegrationBusHttpCredentials { WebhookSecrets = { Secret } };
                http?.Invoke(o);
            },
            busBuilder: b => b.AddConnector(new TestConnector("hooks")),
            databasePath: databasePath);

    /// <summary>A request to a connector's incoming endpoint, signed by the StandardWebhooks package.</summary>
    public static HttpRequestMessage Signed(string connector, string body, string id, DateTimeOffset timestamp, string? secret = null)
    {
        var request = HttpTestHost.Incoming(connector, body, apiKey: null);
        request.Headers.Add("webhook-id", id);
        request.Headers.Add("webhook-timestamp", timestamp.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", new StandardWebhook(secret ?? Secret).Sign(id, timestamp, body));
        return request;
    }
}
