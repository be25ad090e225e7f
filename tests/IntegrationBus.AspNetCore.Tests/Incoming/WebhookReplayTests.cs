using System.Net;
using IntegrationBus.AspNetCore.Tests.Support;

namespace IntegrationBus.AspNetCore.Tests.Incoming;

/// <summary>Issue 12, point 2: a Standard Webhooks retry is a repeat with one task; a replay at another connector is refused.</summary>
public sealed class WebhookReplayTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task PostIncoming_StandardWebhooksClient_Returns202AndQueuesOneTask()
    {
        await using var host = await WebhookClient.StartAsync();

        var response = await host.Client.SendAsync(WebhookClient.Signed("open", HttpTestHost.Body(), "msg_first", host.Time.GetUtcNow()), Token);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("Queued", (await HttpTestHost.JsonAsync(response)).GetProperty("status").GetString());
        Assert.Single(await host.TasksAsync("open"));
    }

    [Fact]
    public async Task PostIncoming_RetryOfSameMessage_Returns200RepeatWithTheFirstTask()
    {
        await using var host = await WebhookClient.StartAsync();
        var body = HttpTestHost.Body();
        var sent = host.Time.GetUtcNow();

        var first = await host.Client.SendAsync(WebhookClient.Signed("open", body, "msg_retry", sent), Token);
        var identical = await host.Client.SendAsync(WebhookClient.Signed("open", body, "msg_retry", sent), Token);
        host.Time.Advance(TimeSpan.FromMinutes(2));
        var resigned = await host.Client.SendAsync(WebhookClient.Signed("open", body, "msg_retry", host.Time.GetUtcNow()), Token);

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        var queued = await HttpTestHost.JsonAsync(first);
        foreach (var repeat in new[] { identical, resigned })
        {
            Assert.Equal(HttpStatusCode.OK, repeat.StatusCode);
            var answer = await HttpTestHost.JsonAsync(repeat);
            Assert.Equal("Repeated", answer.GetProperty("status").GetString());
            Assert.Equal(queued.GetProperty("taskId").GetInt64(), answer.GetProperty("taskId").GetInt64());
            Assert.Equal(queued.GetProperty("taskGuid").GetGuid(), answer.GetProperty("taskGuid").GetGuid());
        }

        Assert.Single(await host.TasksAsync("open"));
    }

    [Fact]
    public async Task PostIncoming_SameMessageAtAnotherConnectorSharingTheSecret_Returns409AndQueuesNothing()
    {
        await using var host = await WebhookClient.StartAsync();
        var body = HttpTestHost.Body();
        var sent = host.Time.GetUtcNow();
        var accepted = await host.Client.SendAsync(WebhookClient.Signed("open", body, "msg_cross", sent), Token);

        var replay = await host.Client.SendAsync(WebhookClient.Signed("hooks", body, "msg_cross", sent), Token);

        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var problem = await HttpTestHost.AssertProblemAsync(replay, 409, "webhook-replayed");
        Assert.Contains("another connector", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Empty(await host.TasksAsync("hooks"));
        Assert.Single(await host.TasksAsync("open"));
    }

    [Fact]
    public async Task PostIncoming_SameIdWithAnotherBody_Returns409AndQueuesNothing()
    {
        await using var host = await WebhookClient.StartAsync();
        await host.Client.SendAsync(WebhookClient.Signed("open", HttpTestHost.Body(email: "a@example.com"), "msg_body", host.Time.GetUtcNow()), Token);

        var other = await host.Client.SendAsync(WebhookClient.Signed("open", HttpTestHost.Body(email: "b@example.com"), "msg_body", host.Time.GetUtcNow()), Token);

        var problem = await HttpTestHost.AssertProblemAsync(other, 409, "webhook-replayed");
        Assert.Contains("different body", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Single(await host.TasksAsync("open"));
    }

    [Fact]
    public async Task PostIncoming_TwoNodesOnOneDatabase_ShareTheReplayRecord()
    {
        var path = Path.Combine(Path.GetTempPath(), $"ibus-http-{Guid.NewGuid():N}.db");
        await using var nodeA = await WebhookClient.StartAsync(databasePath: path);
        await using var nodeB = await WebhookClient.StartAsync(databasePath: path);
        var body = HttpTestHost.Body();

        var first = await nodeA.Client.SendAsync(WebhookClient.Signed("open", body, "msg_nodes", nodeA.Time.GetUtcNow()), Token);
        var retryOnB = await nodeB.Client.SendAsync(WebhookClient.Signed("open", body, "msg_nodes", nodeB.Time.GetUtcNow()), Token);
        var crossOnB = await nodeB.Client.SendAsync(WebhookClient.Signed("hooks", body, "msg_nodes", nodeB.Time.GetUtcNow()), Token);

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, retryOnB.StatusCode);
        Assert.Equal((await HttpTestHost.JsonAsync(first)).GetProperty("taskGuid").GetGuid(), (await HttpTestHost.JsonAsync(retryOnB)).GetProperty("taskGuid").GetGuid());
        await HttpTestHost.AssertProblemAsync(crossOnB, 409, "webhook-replayed");
        Assert.Single(await nodeB.TasksAsync("open"));
        Assert.Empty(await nodeA.TasksAsync("hooks"));
    }

    [Fact]
    public async Task PostIncoming_WebhookWithIdempotencyKey_TheWebhookIdDecides()
    {
        await using var host = await WebhookClient.StartAsync();
        var first = WebhookClient.Signed("open", HttpTestHost.Body(), "msg_key_1", host.Time.GetUtcNow());
        first.Headers.Add("Idempotency-Key", "same-key");
        var second = WebhookClient.Signed("open", HttpTestHost.Body(), "msg_key_2", host.Time.GetUtcNow());
        second.Headers.Add("Idempotency-Key", "same-key");

        var a = await host.Client.SendAsync(first, Token);
        var b = await host.Client.SendAsync(second, Token);

        Assert.Equal(HttpStatusCode.Accepted, a.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, b.StatusCode);
        Assert.Equal(2, (await host.TasksAsync("open")).Count);
    }
}
