using System.Net;
using System.Text;
using IntegrationBus.AspNetCore.Tests.Support;
using Microsoft.Data.Sqlite;

namespace IntegrationBus.AspNetCore.Tests.Incoming;

public sealed class LimitsAndStoreTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static byte[] LargeBody() => Encoding.UTF8.GetBytes(HttpTestHost.Body(email: new string('a', 5000) + "@example.com"));

    [Fact]
    public async Task PostIncoming_BodyOverLimitWithContentLength_Returns413()
    {
        await using var host = await HttpTestHost.StartAsync();
        var request = HttpTestHost.Incoming("crm", "{}");
        request.Content = new ByteArrayContent(LargeBody());
        request.Content.Headers.ContentType = HttpTestHost.Json;

        var response = await host.Client.SendAsync(request, Token);

        var problem = await HttpTestHost.AssertProblemAsync(response, 413, "body-too-large");
        Assert.Contains("4096 bytes", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Empty(await host.TasksAsync());
    }

    [Fact]
    public async Task PostIncoming_BodyOverLimitChunked_Returns413()
    {
        await using var host = await HttpTestHost.StartAsync();
        var request = HttpTestHost.Incoming("crm", "{}");
        request.Content = new ChunkedContent(LargeBody());
        request.Content.Headers.ContentType = HttpTestHost.Json;

        var response = await host.Client.SendAsync(request, Token);

        Assert.Null(request.Content.Headers.ContentLength);
        await HttpTestHost.AssertProblemAsync(response, 413, "body-too-large");
        Assert.Empty(await host.TasksAsync());
    }

    [Fact]
    public async Task PostIncoming_BodyUnderLimitChunked_Returns202()
    {
        await using var host = await HttpTestHost.StartAsync();
        var request = HttpTestHost.Incoming("crm", "{}");
        request.Content = new ChunkedContent(Encoding.UTF8.GetBytes(HttpTestHost.Body()));
        request.Content.Headers.ContentType = HttpTestHost.Json;

        var response = await host.Client.SendAsync(request, Token);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Single(await host.TasksAsync("crm"));
    }

    [Fact]
    public async Task PostIncoming_StoreLockedByAnotherWriter_Returns503WithRetryAfterThenRetrySucceedsOnce()
    {
        await using var host = await HttpTestHost.StartAsync(busyTimeout: TimeSpan.FromMilliseconds(200));
        await using (var locker = new SqliteConnection($"Data Source={host.Path};Pooling=False"))
        {
            await locker.OpenAsync(Token);
            await using (var begin = locker.CreateCommand())
            {
                begin.CommandText = "BEGIN IMMEDIATE;";
                await begin.ExecuteNonQueryAsync(Token);
            }

            var request = HttpTestHost.Incoming("crm", HttpTestHost.Body());
            request.Headers.Add("Idempotency-Key", "locked-1");
            var busy = await host.Client.SendAsync(request, Token);

            var problem = await HttpTestHost.AssertProblemAsync(busy, 503, "store-unavailable");
            Assert.Equal("1", busy.Headers.GetValues("Retry-After").Single());
            Assert.Contains("nothing was queued", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);

            await using var rollback = locker.CreateCommand();
            rollback.CommandText = "ROLLBACK;";
            await rollback.ExecuteNonQueryAsync(Token);
        }

        var retry = HttpTestHost.Incoming("crm", HttpTestHost.Body());
        retry.Headers.Add("Idempotency-Key", "locked-1");
        var response = await host.Client.SendAsync(retry, Token);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Single(await host.TasksAsync("crm"));
    }

    [Fact]
    public async Task PostIncoming_SignedRequestAnswered503_MayBeSentAgainUnchanged()
    {
        await using var host = await HttpTestHost.StartAsync(busyTimeout: TimeSpan.FromMilliseconds(200));
        var body = HttpTestHost.Body();
        await using (var locker = new SqliteConnection($"Data Source={host.Path};Pooling=False"))
        {
            await locker.OpenAsync(Token);
            await using var begin = locker.CreateCommand();
            begin.CommandText = "BEGIN IMMEDIATE;";
            await begin.ExecuteNonQueryAsync(Token);

            await HttpTestHost.AssertProblemAsync(await host.Client.SendAsync(host.Signed(body), Token), 503, "store-unavailable");
        }

        var response = await host.Client.SendAsync(host.Signed(body), Token);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Single(await host.TasksAsync("signed"));
    }
}
