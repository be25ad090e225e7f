using System.Globalization;
using System.Text.Json;
using IntegrationBus.Diagnostics;
using IntegrationBus.Management;
using IntegrationBus.Storage;
using IntegrationBus.Tests.Support;
using IntegrationBus.Webhooks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Time.Testing;

namespace IntegrationBus.Tests.Webhooks;

/// <summary>Webhook connectors from configuration against a real receiver that verifies every delivery with the StandardWebhooks package.</summary>
public sealed class WebhookConnectorTests
{
    private const string Hook = "hook";

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ProcessOutgoing_TwoSecretsDuringRotation_EveryDeliveryVerifiesWithEither()
    {
        string[] secrets = [WebhookSecret.Generate(), WebhookSecret.Generate()];
        await using var receiver = await WebhookReceiver.StartAsync(secrets);
        await using var bus = await StartBusAsync(receiver, secrets, extra: new() { ["Headers:X-Api-Key"] = "k-123", ["DisplayName"] = "Hook receiver" });

        await bus.Bus.LogChangeAsync(SampleTypes.NewUser(1, "ann"), TaskType.CreateObject, Token);
        await bus.Bus.LogChangeAsync(SampleTypes.NewUser(2, "bob"), TaskType.CreateObject, Token);
        await receiver.WaitForAsync(2);

        Assert.All(receiver.Received, r => Assert.Equal([true, true], r.Verified));
        Assert.All(receiver.Received, r => Assert.Equal(("application/json", "k-123"), (r.ContentType, r.ApiKey)));
        using var envelope = JsonDocument.Parse(receiver.Received[0].Body);
        var root = envelope.RootElement;
        Assert.Equal(receiver.Received[0].Id, root.GetProperty("id").GetString());
        Assert.Equal(("CreateObject", "SimpleSnapshot", "cms.user"), (root.GetProperty("taskType").GetString(), root.GetProperty("dataType").GetString(), root.GetProperty("objectType").GetString()));
        Assert.Equal(JsonValueKind.Null, root.GetProperty("site").ValueKind);
        Assert.Equal(1, root.GetProperty("payload").GetProperty("v").GetInt32());
        Assert.Equal("ann", root.GetProperty("payload").GetProperty("object").GetProperty("fields").GetProperty("UserName").GetString());
        Assert.Equal("Hook receiver", bus.Bus.Connectors.Single().DisplayName);
    }

    [Fact]
    public async Task ProcessOutgoing_ServerErrorThenOk_RetryKeepsWebhookIdAndBody()
    {
        var secret = WebhookSecret.Generate();
        await using var receiver = await WebhookReceiver.StartAsync(secret);
        receiver.Respond = (context, number) => Status(context, number == 1 ? 503 : 200, "busy");
        await using var bus = await StartBusAsync(receiver, [secret]);
        var failed = bus.NextRunnerWaitAsync(Hook);

        await bus.Bus.LogChangeAsync(SampleTypes.NewUser(1, "ann"), TaskType.CreateObject, Token);
        var wait = await failed;
        var row = Assert.Single(await bus.ListAsync(Hook));
        Assert.Equal(SynchronizationStatus.Error, row.Status);
        Assert.Contains("HTTP 503", row.LastError, StringComparison.Ordinal);
        Assert.Contains("busy", row.LastError, StringComparison.Ordinal);
        var idle = bus.NextRunnerIdleAsync(Hook);

        // The runner's own wait, to the tick: the stored next attempt time is rounded to the store's precision.
        bus.Time.Advance(wait);
        await receiver.WaitForAsync(2);
        await idle;

        Assert.Empty(await bus.ListAsync(Hook));
        var (first, second) = (receiver.Received[0], receiver.Received[1]);
        Assert.Equal(row.Guid.ToString(), first.Id);
        Assert.Equal(first.Id, second.Id);
        Assert.Equal(first.Body, second.Body);
        Assert.All(receiver.Received, r => Assert.Equal([true], r.Verified));
    }

    [Theory]
    [InlineData(429, "120")]
    [InlineData(503, "HTTP-DATE")]
    public async Task ProcessOutgoing_RetryAfter_NextAttemptIsThatLater(int status, string retryAfter)
    {
        var secret = WebhookSecret.Generate();
        await using var receiver = await WebhookReceiver.StartAsync(secret);
        await using var bus = await StartBusAsync(receiver, [secret]);
        var failed = bus.NextRunnerIdleAsync(Hook);
        var value = retryAfter == "HTTP-DATE" ? (bus.Time.GetUtcNow() + TimeSpan.FromSeconds(120)).ToString("r", CultureInfo.InvariantCulture) : retryAfter;
        receiver.Respond = (context, _) =>
        {
            context.Response.Headers.RetryAfter = value;
            return Status(context, status, "slow down");
        };

        await bus.Bus.LogChangeAsync(SampleTypes.NewUser(1, "ann"), TaskType.CreateObject, Token);
        await failed;

        var row = Assert.Single(await bus.ListAsync(Hook));
        var expected = bus.Time.GetUtcNow() + TimeSpan.FromSeconds(120);

        // An HTTP date has whole seconds; the fake clock may not.
        Assert.InRange(row.NextAttemptAt!.Value, expected - TimeSpan.FromSeconds(1), expected);
        Assert.Contains("slow down", row.LastError, StringComparison.Ordinal);
        Assert.Single(receiver.Received);
    }

    [Fact]
    public async Task ProcessOutgoing_Gone_DisablesConnectorWithAuditAndWarning()
    {
        var secret = WebhookSecret.Generate();
        await using var receiver = await WebhookReceiver.StartAsync(secret);
        receiver.Respond = (context, _) => Status(context, 410, "unsubscribed");
        await using var bus = await StartBusAsync(receiver, [secret]);
        var gone = bus.Signals.NextAsync(EventIds.WebhookGone, s => Equals(s.GetValueOrDefault("ConnectorName"), Hook));
        var failed = bus.NextEventAsync(EventIds.TaskFailed, Hook);
        var waiting = bus.NextRunnerIdleAsync(Hook);

        await bus.Bus.LogChangeAsync(SampleTypes.NewUser(1, "ann"), TaskType.CreateObject, Token);
        var warning = await gone;
        await failed;
        await waiting;

        Assert.Contains("410", (string)warning["Reason"]!, StringComparison.Ordinal);
        Assert.False(Assert.Single(await bus.Management.GetConnectorsAsync(Token), c => c.Name == Hook).Enabled);
        var audit = Assert.Single(await bus.Management.ListAuditAsync(new AuditQuery(), Token), a => a.Action == ManagementActions.DisableConnector);
        Assert.Equal("webhook", audit.Actor);
        Assert.Contains("410 Gone", audit.Target, StringComparison.Ordinal);
        var row = Assert.Single(await bus.ListAsync(Hook));
        Assert.Equal(SynchronizationStatus.Error, row.Status);
        Assert.Contains("HTTP 410", row.LastError, StringComparison.Ordinal);
        Assert.Contains("unsubscribed", row.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProcessOutgoing_Redirect_IsNotFollowedAndNamesTheLocation()
    {
        var secret = WebhookSecret.Generate();
        await using var receiver = await WebhookReceiver.StartAsync(secret);
        receiver.Respond = (context, _) =>
        {
            context.Response.Headers.Location = "/elsewhere";
            return Status(context, 302, string.Empty);
        };
        await using var bus = await StartBusAsync(receiver, [secret]);
        var failed = bus.NextRunnerWaitAsync(Hook);

        await bus.Bus.LogChangeAsync(SampleTypes.NewUser(1, "ann"), TaskType.CreateObject, Token);
        await failed;

        var row = Assert.Single(await bus.ListAsync(Hook));
        Assert.Contains("HTTP 302", row.LastError, StringComparison.Ordinal);
        Assert.Contains("Location: /elsewhere", row.LastError, StringComparison.Ordinal);
        Assert.Equal("/hook", Assert.Single(receiver.Received).Path);
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("localhost")]
    public async Task ProcessOutgoing_LoopbackWithoutAllowPrivateNetwork_RefusedBeforeConnecting(string host)
    {
        var secret = WebhookSecret.Generate();
        await using var receiver = await WebhookReceiver.StartAsync(secret);
        var url = new UriBuilder(receiver.BaseAddress) { Host = host, Path = "/hook" }.Uri;
        await using var bus = await StartBusAsync(receiver, [secret], allowPrivateNetwork: false, url: url);
        var refused = bus.Signals.NextAsync(EventIds.WebhookAddressRefused, s => Equals(s.GetValueOrDefault("ConnectorName"), Hook));
        var failed = bus.NextRunnerWaitAsync(Hook);

        await bus.Bus.LogChangeAsync(SampleTypes.NewUser(1, "ann"), TaskType.CreateObject, Token);
        await refused;
        await failed;

        var row = Assert.Single(await bus.ListAsync(Hook));
        Assert.Contains("server-side request forgery", row.LastError, StringComparison.Ordinal);
        Assert.Contains("AllowPrivateNetwork", row.LastError, StringComparison.Ordinal);
        Assert.Empty(receiver.Received);
    }

    [Fact]
    public async Task ProcessOutgoing_NoAnswerWithinTimeout_IsError()
    {
        var secret = WebhookSecret.Generate();
        await using var receiver = await WebhookReceiver.StartAsync(secret);
        receiver.Respond = (context, _) => Task.Delay(Timeout.InfiniteTimeSpan, context.RequestAborted);
        await using var bus = await StartBusAsync(receiver, [secret], extra: new() { ["Timeout"] = "00:00:05" });
        var failed = bus.NextRunnerWaitAsync(Hook);

        await bus.Bus.LogChangeAsync(SampleTypes.NewUser(1, "ann"), TaskType.CreateObject, Token);
        await receiver.WaitForAsync(1);
        bus.Time.Advance(TimeSpan.FromSeconds(5));
        await failed;

        var row = Assert.Single(await bus.ListAsync(Hook));
        Assert.Equal(SynchronizationStatus.Error, row.Status);
        Assert.Contains("did not answer within the timeout of 00:00:05", row.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProcessOutgoing_ClientError_IsErrorWithTheAnswerAndNoRetryAfter()
    {
        var secret = WebhookSecret.Generate();
        await using var receiver = await WebhookReceiver.StartAsync(secret);
        receiver.Respond = (context, _) =>
        {
            context.Response.Headers.RetryAfter = "3600";
            return Status(context, 422, new string('x', 600));
        };
        await using var bus = await StartBusAsync(receiver, [secret]);
        var failed = bus.NextRunnerWaitAsync(Hook);

        await bus.Bus.LogChangeAsync(SampleTypes.NewUser(1, "ann"), TaskType.CreateObject, Token);
        var wait = await failed;

        var row = Assert.Single(await bus.ListAsync(Hook));
        Assert.Contains("HTTP 422", row.LastError, StringComparison.Ordinal);
        Assert.Contains(new string('x', 512), row.LastError, StringComparison.Ordinal);
        Assert.DoesNotContain(new string('x', 513), row.LastError, StringComparison.Ordinal);
        Assert.True(wait < TimeSpan.FromMinutes(1), $"the back-off decides, not Retry-After; waited {wait}");
    }

    private static Task Status(HttpContext context, int status, string body)
    {
        context.Response.StatusCode = status;
        return body.Length == 0 ? Task.CompletedTask : context.Response.WriteAsync(body, TestContext.Current.CancellationToken);
    }

    private static Task<TestBus> StartBusAsync(WebhookReceiver receiver, string[] secrets, bool allowPrivateNetwork = true, Uri? url = null, Dictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>
        {
            [$"IntegrationBus:Webhooks:{Hook}:Url"] = (url ?? new Uri(receiver.BaseAddress, "/hook")).ToString(),
            [$"IntegrationBus:Webhooks:{Hook}:AllowPrivateNetwork"] = allowPrivateNetwork ? "true" : "false",
            [$"IntegrationBus:Webhooks:{Hook}:Subscriptions:0:ObjectType"] = "cms.user",
            [$"IntegrationBus:Webhooks:{Hook}:Subscriptions:0:TaskTypes:0"] = "CreateObject",
        };
        for (var i = 0; i < secrets.Length; i++)
        {
            settings[$"IntegrationBus:Webhooks:{Hook}:Secrets:{i}"] = secrets[i];
        }

        foreach (var (key, value) in extra ?? [])
        {
            settings[$"IntegrationBus:Webhooks:{Hook}:{key}"] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();

        // The receiver checks webhook-timestamp against the real clock: the fake one starts at the real time.
        return TestBus.StartAsync([], bus => bus.AddWebhookConnectors(configuration.GetSection("IntegrationBus:Webhooks")), time: new FakeTimeProvider(TimeProvider.System.GetUtcNow()));
    }
}
