using System.Net;
using IntegrationBus.AspNetCore.Tests.Support;

namespace IntegrationBus.AspNetCore.Tests.Incoming;

public sealed class ProcessEndpointTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static HttpRequestMessage Process(string connector, string query = "", string? apiKey = HttpTestHost.CrmKey)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/integration/connectors/{connector}/process{query}");
        if (apiKey is not null)
        {
            request.Headers.Add("X-Api-Key", apiKey);
        }

        return request;
    }

    [Theory]
    [InlineData("")]
    [InlineData("?direction=Outgoing")]
    [InlineData("?direction=incoming")]
    public async Task PostProcess_KnownConnector_Returns202(string query)
    {
        await using var host = await HttpTestHost.StartAsync();

        var response = await host.Client.SendAsync(Process("crm", query), Token);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Empty(await host.TasksAsync(direction: null));
    }

    [Fact]
    public async Task PostProcess_UnknownConnector_Returns404()
    {
        await using var host = await HttpTestHost.StartAsync();

        await HttpTestHost.AssertProblemAsync(await host.Client.SendAsync(Process("nope"), Token), 404, "unknown-connector");
        Assert.Empty(await host.TasksAsync(direction: null));
    }

    [Fact]
    public async Task PostProcess_UnknownDirection_Returns400()
    {
        await using var host = await HttpTestHost.StartAsync();

        var problem = await HttpTestHost.AssertProblemAsync(await host.Client.SendAsync(Process("crm", "?direction=Sideways"), Token), 400, "invalid-request");
        Assert.Contains("'Sideways'", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Empty(await host.TasksAsync(direction: null));
    }

    [Fact]
    public async Task PostProcess_WithoutApiKey_Returns401()
    {
        await using var host = await HttpTestHost.StartAsync();

        await HttpTestHost.AssertProblemAsync(await host.Client.SendAsync(Process("crm", apiKey: null), Token), 401, "unauthorized");
        Assert.Empty(await host.TasksAsync(direction: null));
    }
}
