using System.Net;
using IntegrationBus.AspNetCore.Tests.Support;

namespace IntegrationBus.AspNetCore.Tests;

public sealed class IntegrationScopeMiddlewareTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Request_LogsChange_TaskExistsWhenResponseArrives()
    {
        await using var host = await HttpTestHost.StartAsync();

        var response = await host.Client.PostAsync("/app/contacts", content: null, Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var task = Assert.Single(await host.TasksAsync("crm", TaskDirection.Outgoing));
        Assert.Equal(7, task.ObjectId);
    }

    [Fact]
    public async Task Request_ThrowsAfterLoggingChange_NoTaskIsWritten()
    {
        await using var host = await HttpTestHost.StartAsync();

        var response = await host.Client.PostAsync("/app/fail", content: null, Token);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Empty(await host.TasksAsync(direction: null));
        Assert.Null(host.Bus.CurrentScope);
    }

    [Fact]
    public async Task Request_Answers5xxAfterLoggingChange_NoTaskIsWritten()
    {
        await using var host = await HttpTestHost.StartAsync();

        var response = await host.Client.PostAsync("/app/error", content: null, Token);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Empty(await host.TasksAsync(direction: null));
    }
}
