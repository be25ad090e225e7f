using System.Net;
using IntegrationBus.AspNetCore.Tests.Support;
using IntegrationBus.Management;
using IntegrationBus.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationBus.AspNetCore.Tests.Management;

public sealed class ManagementResyncTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Resyncs_ListGetAndCancel_AnswerJobsAndAuditTheCancel()
    {
        await using var host = await ManagementTestHost.StartAsync();
        var store = host.Host.Services.GetRequiredService<TaskStore>();
        var job = await store.Resyncs.CreateAsync(
            new ResyncJob { Connector = "crm", TypeFilter = "crm.%", CreatedAt = DateTimeOffset.UnixEpoch, UpdatedAt = DateTimeOffset.UnixEpoch, StartedBy = "ops" }, Token);
        await store.Resyncs.ClaimAsync("elsewhere", TimeSpan.FromHours(1), DateTimeOffset.UnixEpoch, Token);

        var list = await host.GetJsonAsync("resyncs?limit=10");
        var one = await host.GetJsonAsync($"resyncs/{job.Id}");
        var cancelled = await host.SendAsync(HttpMethod.Post, $"resyncs/{job.Id}/cancel");
        var again = await host.SendAsync(HttpMethod.Post, $"resyncs/{job.Id}/cancel");

        Assert.Equal(job.Id, Assert.Single(list.EnumerateArray()).GetProperty("id").GetInt64());
        Assert.Equal(("crm", "crm.%", "Running"), (one.GetProperty("connector").GetString(), one.GetProperty("typeFilter").GetString(), one.GetProperty("state").GetString()));
        Assert.Equal(HttpStatusCode.NoContent, cancelled.StatusCode);
        await HttpTestHost.AssertProblemAsync(again, 404, "unknown-resync");
        Assert.Equal("Cancelled", (await host.GetJsonAsync($"resyncs/{job.Id}")).GetProperty("state").GetString());
        var audit = Assert.Single(await host.Management.ListAuditAsync(new AuditQuery(), Token));
        Assert.Equal(("admin", ManagementActions.CancelResync), (audit.Actor, audit.Action));
    }

    [Fact]
    public async Task Resyncs_StartWithoutASourceOrConnector_Returns400()
    {
        await using var host = await ManagementTestHost.StartAsync();

        await HttpTestHost.AssertProblemAsync(await host.SendAsync(HttpMethod.Post, "resyncs", body: new { connector = "crm" }), 400, "invalid-request");
        await HttpTestHost.AssertProblemAsync(await host.SendAsync(HttpMethod.Post, "resyncs", body: new { typeFilter = "%" }), 400, "invalid-request");
        await HttpTestHost.AssertProblemAsync(await host.SendAsync(HttpMethod.Get, "resyncs/999"), 404, "unknown-resync");
    }
}
