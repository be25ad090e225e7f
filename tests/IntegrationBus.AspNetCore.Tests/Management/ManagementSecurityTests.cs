using System.Net;
using System.Text.Json;
using IntegrationBus.AspNetCore.Tests.Support;
using IntegrationBus.Management;
using IntegrationBus.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;

namespace IntegrationBus.AspNetCore.Tests.Management;

public sealed class ManagementSecurityTests
{
    public static TheoryData<string, string, string?> ReadEndpoints => new()
    {
        { "GET", "queues", null },
        { "GET", "tasks", null },
        { "GET", "tasks/count", null },
        { "GET", "tasks/1", null },
        { "GET", "connectors", null },
        { "GET", "settings", null },
        { "GET", "audit", null },
        { "GET", "history", null },
        { "GET", "me", null },
        { "GET", "connectors/crm/id-map", null },
        { "GET", "connectors/crm/blocked-keys", null },
    };

    public static TheoryData<string, string, string?> OperateEndpoints => new()
    {
        { "POST", "tasks/1/retry", null },
        { "DELETE", "tasks/1", null },
        { "POST", "tasks/retry", """{ "connector": "crm" }""" },
        { "POST", "tasks/delete", """{ "connector": "crm" }""" },
        { "POST", "connectors/crm/enable", null },
        { "POST", "connectors/crm/disable", null },
        { "PUT", "settings", """{ "enabled": false }""" },
        { "POST", "processing", null },
        { "POST", "retention/purge", null },
        { "DELETE", "connectors/crm/id-map/crm.contact/3f2504e0-4f89-11d3-9a0c-0305e82c3301", null },
        { "POST", "connectors/crm/blocked-keys/retry", """{"key":"k"}""" },
        { "POST", "connectors/crm/blocked-keys/skip?key=k", null },
        { "POST", "connectors/crm/blocked-keys/release", """{"key":"k"}""" },
    };

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public void MapIntegrationBusManagement_WithoutPolicies_Throws()
    {
        var app = BareApplication();

        var exception = Assert.Throws<InvalidOperationException>(() => app.MapIntegrationBusManagement());

        Assert.Contains("ReadPolicy", exception.Message, StringComparison.Ordinal);
        Assert.Contains("OperatePolicy", exception.Message, StringComparison.Ordinal);
        Assert.Contains("AllowAnonymous", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MapIntegrationBusManagement_OnlyReadPolicy_Throws()
    {
        var app = BareApplication();

        Assert.Throws<InvalidOperationException>(() => app.MapIntegrationBusManagement(configure: o => o.ReadPolicy = "bus-read"));
    }

    [Theory]
    [MemberData(nameof(ReadEndpoints))]
    [MemberData(nameof(OperateEndpoints))]
    public async Task Endpoint_Anonymous_Returns401AndChangesNothing(string method, string path, string? body)
    {
        await using var host = await ManagementTestHost.StartAsync();

        var response = await host.SendAsync(new HttpMethod(method), path, user: null, body);

        await HttpTestHost.AssertProblemAsync(response, 401, "unauthorized");
        Assert.Empty(await host.Management.ListAuditAsync(new AuditQuery(), Token));
    }

    [Theory]
    [MemberData(nameof(ReadEndpoints))]
    public async Task ReadEndpoint_AuthenticatedWithoutReadRole_Returns403(string method, string path, string? body)
    {
        await using var host = await ManagementTestHost.StartAsync();

        var response = await host.SendAsync(new HttpMethod(method), path, user: "stranger", body);

        await HttpTestHost.AssertProblemAsync(response, 403, "forbidden");
    }

    [Theory]
    [MemberData(nameof(OperateEndpoints))]
    public async Task OperateEndpoint_ReadOnlyCaller_Returns403AndChangesNothing(string method, string path, string? body)
    {
        await using var host = await ManagementTestHost.StartAsync();
        await host.LogContactsAsync(1);

        var response = await host.SendAsync(new HttpMethod(method), path, user: "viewer", body);

        await HttpTestHost.AssertProblemAsync(response, 403, "forbidden");
        Assert.Empty(await host.Management.ListAuditAsync(new AuditQuery(), Token));
        Assert.True((await host.Management.GetSettingsAsync(Token)).Enabled);
        Assert.All(await host.Management.GetConnectorsAsync(Token), c => Assert.True(c.Enabled));
        Assert.Equal(3, await host.Management.CountTasksAsync(new TaskQuery(), Token));
    }

    [Fact]
    public async Task Me_ReportsNameOperateRightAndAntiforgeryHeader()
    {
        await using var host = await ManagementTestHost.StartAsync();

        var admin = await host.GetJsonAsync("me", "admin");
        var viewer = await host.GetJsonAsync("me", "viewer");

        Assert.Equal("admin", admin.GetProperty("name").GetString());
        Assert.True(admin.GetProperty("canOperate").GetBoolean());
        Assert.Equal("viewer", viewer.GetProperty("name").GetString());
        Assert.False(viewer.GetProperty("canOperate").GetBoolean());
        Assert.Equal("X-IntegrationBus-Antiforgery", admin.GetProperty("antiforgeryHeader").GetString());
        Assert.False(string.IsNullOrEmpty(admin.GetProperty("antiforgeryToken").GetString()));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("forged-token")]
    public async Task CookiePost_WithoutValidAntiforgeryToken_Returns400AndChangesNothing(string? token)
    {
        await using var host = await ManagementTestHost.StartAsync();
        var session = await host.OpenSessionAsync("admin");

        var response = await session.SendAsync(HttpMethod.Post, "connectors/open/disable", token);

        await HttpTestHost.AssertProblemAsync(response, 400, "antiforgery");
        Assert.True((await host.Management.GetConnectorsAsync(Token)).Single(c => c.Name == "open").Enabled);
        Assert.Empty(await host.Management.ListAuditAsync(new AuditQuery(), Token));
    }

    [Fact]
    public async Task CookiePost_OtherUsersAntiforgeryToken_Returns400()
    {
        await using var host = await ManagementTestHost.StartAsync();
        var admin = await host.OpenSessionAsync("admin");
        var viewer = await host.OpenSessionAsync("viewer");

        var response = await admin.SendAsync(HttpMethod.Post, "connectors/open/disable", viewer.Token);

        await HttpTestHost.AssertProblemAsync(response, 400, "antiforgery");
    }

    [Fact]
    public async Task CookiePost_WithTokenFromMe_SucceedsAndAuditsTheUser()
    {
        await using var host = await ManagementTestHost.StartAsync();
        var session = await host.OpenSessionAsync("admin");

        var response = await session.SendAsync(HttpMethod.Post, "connectors/open/disable", session.Token);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.False((await host.Management.GetConnectorsAsync(Token)).Single(c => c.Name == "open").Enabled);
        var entry = Assert.Single(await host.Management.ListAuditAsync(new AuditQuery(), Token));
        Assert.Equal(("admin", ManagementActions.DisableConnector), (entry.Actor, entry.Action));
    }

    [Fact]
    public async Task CookiePut_WithBasicAuthorizationHeader_StillNeedsToken()
    {
        await using var host = await ManagementTestHost.StartAsync();
        var session = await host.OpenSessionAsync("admin");
        var request = ManagementTestHost.Request(HttpMethod.Post, "retention/purge", null);
        request.Headers.Add("Cookie", $"{TestAuthenticationHandler.Cookie}=admin");
        request.Headers.Add("Authorization", "Basic YWRtaW46YWRtaW4=");

        await HttpTestHost.AssertProblemAsync(await host.Client.SendAsync(request, Token), 400, "antiforgery");
        Assert.NotNull(session.Token);
    }

    [Fact]
    public async Task BearerPost_NeedsNoAntiforgeryToken()
    {
        await using var host = await ManagementTestHost.StartAsync();

        var response = await host.SendAsync(HttpMethod.Post, "connectors/open/disable", "admin");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal("admin", Assert.Single(await host.Management.ListAuditAsync(new AuditQuery(), Token)).Actor);
    }

    [Fact]
    public async Task AllowAnonymous_ReadsWithoutUserAndAuditsAnonymousButStillNeedsToken()
    {
        await using var host = await ManagementTestHost.StartAsync(o => o.AllowAnonymous = true);

        var queues = await host.SendAsync(HttpMethod.Get, "queues", user: null);
        var forged = await host.SendAsync(HttpMethod.Post, "retention/purge", user: null);
        var meResponse = await host.SendAsync(HttpMethod.Get, "me", user: null);
        var me = await HttpTestHost.JsonAsync(meResponse);
        var request = ManagementTestHost.Request(HttpMethod.Post, "retention/purge", null);
        request.Headers.Add("Cookie", string.Join("; ", meResponse.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0])));
        request.Headers.Add("X-IntegrationBus-Antiforgery", me.GetProperty("antiforgeryToken").GetString());
        var purge = await host.Client.SendAsync(request, Token);

        Assert.Equal(HttpStatusCode.OK, queues.StatusCode);
        await HttpTestHost.AssertProblemAsync(forged, 400, "antiforgery");
        Assert.True(me.GetProperty("canOperate").GetBoolean());
        Assert.Equal(JsonValueKind.Null, me.GetProperty("name").ValueKind);
        Assert.Equal(HttpStatusCode.OK, purge.StatusCode);
        Assert.Equal(("anonymous", ManagementActions.Purge), Assert.Single(await host.Management.ListAuditAsync(new AuditQuery(), Token)) is var e ? (e.Actor, e.Action) : default);
    }

    private static WebApplication BareApplication()
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        return builder.Build();
    }
}
