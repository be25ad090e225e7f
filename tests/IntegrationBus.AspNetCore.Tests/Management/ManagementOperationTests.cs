using System.Net;
using System.Text.Json;
using IntegrationBus.AspNetCore.Tests.Support;
using IntegrationBus.Management;
using IntegrationBus.Storage;

namespace IntegrationBus.AspNetCore.Tests.Management;

public sealed class ManagementOperationTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Connectors_DisableThenEnable_SwitchesAndAudits()
    {
        await using var host = await ManagementTestHost.StartAsync();

        var before = await host.GetJsonAsync("connectors");
        var disabled = await host.SendAsync(HttpMethod.Post, "connectors/crm/disable");
        var whileDisabled = await host.GetJsonAsync("connectors");
        var enabled = await host.SendAsync(HttpMethod.Post, "connectors/crm/enable");
        var after = await host.GetJsonAsync("connectors");

        static bool CrmEnabled(JsonElement list) => list.EnumerateArray().Single(c => c.GetProperty("name").GetString() == "crm").GetProperty("enabled").GetBoolean();
        Assert.Equal(["crm", "open", "signed"], before.EnumerateArray().Select(c => c.GetProperty("name").GetString()).Order(StringComparer.Ordinal));
        Assert.True(CrmEnabled(before));
        Assert.Equal(HttpStatusCode.NoContent, disabled.StatusCode);
        Assert.False(CrmEnabled(whileDisabled));
        Assert.Equal(HttpStatusCode.NoContent, enabled.StatusCode);
        Assert.True(CrmEnabled(after));
        var entries = await host.Management.ListAuditAsync(new AuditQuery(), Token);
        Assert.Equal([ManagementActions.EnableConnector, ManagementActions.DisableConnector], entries.Select(e => e.Action));
        Assert.All(entries, e => Assert.Equal("admin", e.Actor));
    }

    [Theory]
    [InlineData("enable")]
    [InlineData("disable")]
    public async Task Connectors_Unknown_Returns404(string action)
    {
        await using var host = await ManagementTestHost.StartAsync();

        var problem = await HttpTestHost.AssertProblemAsync(await host.SendAsync(HttpMethod.Post, $"connectors/nope/{action}"), 404, "unknown-connector");

        Assert.Contains("'nope'", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Empty(await host.Management.ListAuditAsync(new AuditQuery(), Token));
    }

    [Fact]
    public async Task Settings_PutThenGet_RoundTripsAndAudits()
    {
        await using var host = await ManagementTestHost.StartAsync();
        var defaults = await host.GetJsonAsync("settings");
        const string body = """
            { "enabled": true, "logOutgoing": true, "processOutgoing": false, "logIncoming": false, "processIncoming": true,
              "historyEnabled": true, "historyRetention": "1.00:00:00", "attemptLogRetention": "02:30:00", "failedTaskRetention": "7.00:00:00", "auditRetention": null }
            """;

        var stored = await host.SendJsonAsync(HttpMethod.Put, "settings", body);
        var read = await host.GetJsonAsync("settings");

        Assert.Equal("30.00:00:00", defaults.GetProperty("attemptLogRetention").GetString());
        Assert.Equal(JsonValueKind.Null, defaults.GetProperty("failedTaskRetention").ValueKind);
        foreach (var settings in new[] { stored, read })
        {
            Assert.False(settings.GetProperty("processOutgoing").GetBoolean());
            Assert.False(settings.GetProperty("logIncoming").GetBoolean());
            Assert.True(settings.GetProperty("historyEnabled").GetBoolean());
            Assert.Equal("1.00:00:00", settings.GetProperty("historyRetention").GetString());
            Assert.Equal("02:30:00", settings.GetProperty("attemptLogRetention").GetString());
            Assert.Equal("7.00:00:00", settings.GetProperty("failedTaskRetention").GetString());
            Assert.Equal(JsonValueKind.Null, settings.GetProperty("auditRetention").ValueKind);
        }

        var current = await host.Management.GetSettingsAsync(Token);
        Assert.Equal((false, TimeSpan.FromHours(2.5)), (current.ProcessOutgoing, current.AttemptLogRetention));
        var entry = Assert.Single(await host.Management.ListAuditAsync(new AuditQuery(), Token));
        Assert.Equal(("admin", ManagementActions.UpdateSettings), (entry.Actor, entry.Action));
    }

    [Fact]
    public async Task Settings_PutWithSomeProperties_OthersTakeTheirDefaults()
    {
        await using var host = await ManagementTestHost.StartAsync();

        await host.SendJsonAsync(HttpMethod.Put, "settings", """{ "processIncoming": false }""");

        Assert.Equal(BusSettings.Default with { ProcessIncoming = false }, await host.Management.GetSettingsAsync(Token));
    }

    [Theory]
    [InlineData("""{ "historyRetention": "-01:00:00" }""", "HistoryRetention")]
    [InlineData("""{ "historyRetention": "soon" }""", "historyRetention")]
    [InlineData("""{ "enabled": "maybe" }""", "enabled")]
    public async Task Settings_Invalid_Returns400AndKeepsSettings(string body, string mention)
    {
        await using var host = await ManagementTestHost.StartAsync();

        var problem = await HttpTestHost.AssertProblemAsync(await host.SendAsync(HttpMethod.Put, "settings", body: body), 400, "invalid-request");

        Assert.Contains(mention, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(BusSettings.Default, await host.Management.GetSettingsAsync(Token));
    }

    [Theory]
    [InlineData("", HttpStatusCode.Accepted)]
    [InlineData("?connector=crm", HttpStatusCode.Accepted)]
    [InlineData("?connector=crm&direction=Incoming", HttpStatusCode.Accepted)]
    [InlineData("?connector=nope", HttpStatusCode.NotFound)]
    [InlineData("?direction=Up", HttpStatusCode.BadRequest)]
    public async Task Processing_Request_AnswersByConnectorAndDirection(string query, HttpStatusCode status)
    {
        await using var host = await ManagementTestHost.StartAsync();

        var response = await host.SendAsync(HttpMethod.Post, "processing" + query);

        var audit = await host.Management.ListAuditAsync(new AuditQuery(), Token);
        if (status == HttpStatusCode.Accepted)
        {
            Assert.Equal(status, response.StatusCode);
            var entry = Assert.Single(audit);
            Assert.Equal(("admin", ManagementActions.RequestProcessing), (entry.Actor, entry.Action));
        }
        else
        {
            await HttpTestHost.AssertProblemAsync(response, (int)status, status == HttpStatusCode.NotFound ? "unknown-connector" : "invalid-request");
            Assert.Empty(audit);
        }
    }

    [Fact]
    public async Task Purge_ReturnsWhatWasDeletedAndAudits()
    {
        await using var host = await ManagementTestHost.StartAsync();

        var result = await host.SendJsonAsync(HttpMethod.Post, "retention/purge");

        foreach (var name in new[] { "attempts", "failedSynchronizations", "idempotencyKeys", "history", "audit", "total" })
        {
            Assert.Equal(0, result.GetProperty(name).GetInt64());
        }

        var entry = Assert.Single(await host.Management.ListAuditAsync(new AuditQuery(), Token));
        Assert.Equal(("admin", ManagementActions.Purge), (entry.Actor, entry.Action));
    }

    [Fact]
    public async Task Audit_PagesNewestFirstWithBeforeId()
    {
        await using var host = await ManagementTestHost.StartAsync();
        foreach (var action in new[] { "disable", "enable", "disable" })
        {
            await host.SendAsync(HttpMethod.Post, $"connectors/open/{action}");
        }

        var first = await host.GetJsonAsync("audit?limit=2");
        var lastId = first[1].GetProperty("id").GetInt64();
        var second = await host.GetJsonAsync($"audit?limit=2&beforeId={lastId}");

        Assert.Equal(["connector.disable", "connector.enable"], first.EnumerateArray().Select(e => e.GetProperty("action").GetString()));
        Assert.True(first[0].GetProperty("id").GetInt64() > lastId);
        Assert.Equal("admin", first[0].GetProperty("actor").GetString());
        Assert.Equal("connector open", first[0].GetProperty("target").GetString());
        Assert.Equal(["connector.disable"], second.EnumerateArray().Select(e => e.GetProperty("action").GetString()));
        Assert.Equal(host.Host.Time.GetUtcNow(), second[0].GetProperty("at").GetDateTimeOffset());
    }

    [Fact]
    public async Task History_Empty_ReturnsEmptyList()
    {
        await using var host = await ManagementTestHost.StartAsync();

        var history = await host.GetJsonAsync("history?connector=crm&direction=Outgoing&objectType=crm.contact&limit=10");

        Assert.Equal(JsonValueKind.Array, history.ValueKind);
        Assert.Equal(0, history.GetArrayLength());
    }

    [Fact]
    public async Task OpenApi_DescribesEveryManagementEndpoint()
    {
        await using var host = await ManagementTestHost.StartAsync();

        var response = await host.Client.GetAsync("/openapi/v1.json", Token);
        var document = await response.Content.ReadAsStringAsync(Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        foreach (var name in new[]
        {
            "GetQueues", "ListTasks", "CountTasks", "GetTask", "RetryTask", "DeleteTask", "RetryTasks", "DeleteTasks", "GetConnectors",
            "EnableConnector", "DisableConnector", "GetSettings", "UpdateSettings", "RequestProcessing", "Purge", "ListAudit", "ListHistory", "GetMe",
        })
        {
            Assert.Contains($"\"IntegrationBusManagement{name}\"", document, StringComparison.Ordinal);
        }
    }
}
