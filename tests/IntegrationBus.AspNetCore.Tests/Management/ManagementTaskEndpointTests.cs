using System.Net;
using System.Text.Json;
using IntegrationBus.AspNetCore.Tests.Support;
using IntegrationBus.Management;
using IntegrationBus.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationBus.AspNetCore.Tests.Management;

public sealed class ManagementTaskEndpointTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    /// <summary>A host whose outgoing queues are not processed, so the logged tasks stay pending.</summary>
    private static async Task<ManagementTestHost> StartPausedAsync(int contacts)
    {
        var host = await ManagementTestHost.StartAsync();
        await host.Management.UpdateSettingsAsync(BusSettings.Default with { ProcessOutgoing = false }, "setup", Token);
        await host.LogContactsAsync(contacts);
        return host;
    }

    [Fact]
    public async Task GetQueues_ListsEveryConnectorInBothDirectionsWithDepth()
    {
        await using var host = await StartPausedAsync(5);

        var queues = await host.GetJsonAsync("queues");

        Assert.Equal(6, queues.GetArrayLength());
        var crm = queues.EnumerateArray().Single(q => q.GetProperty("connector").GetString() == "crm" && q.GetProperty("direction").GetString() == "Outgoing");
        Assert.Equal(5, crm.GetProperty("pending").GetInt64());
        Assert.Equal(5, crm.GetProperty("depth").GetInt64());
        Assert.True(crm.GetProperty("enabled").GetBoolean());
        Assert.True(crm.GetProperty("registered").GetBoolean());
        Assert.Equal("00:00:00", crm.GetProperty("lag").GetString());
        Assert.Equal(host.Host.Time.GetUtcNow(), crm.GetProperty("oldestCreatedAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task GetQueues_CircuitBreakerStored_OutgoingQueueCarriesItsState()
    {
        await using var host = await StartPausedAsync(1);
        var now = host.Host.Time.GetUtcNow();
        var store = host.Host.Services.GetRequiredService<TaskStore>();
        await store.Configuration.SetCircuitBreakerAsync(
            new CircuitBreakerState { Connector = "crm", Status = CircuitBreakerStatus.Open, ChangedAt = now, OpenedAt = now, OpenUntil = now.AddSeconds(30), Reason = "CRM down" }, Token);

        var queues = await host.GetJsonAsync("queues");

        var crm = queues.EnumerateArray().Where(q => q.GetProperty("connector").GetString() == "crm").ToDictionary(q => q.GetProperty("direction").GetString()!);
        var breaker = crm["Outgoing"].GetProperty("circuitBreaker");
        Assert.Equal(("Open", "CRM down"), (breaker.GetProperty("status").GetString(), breaker.GetProperty("reason").GetString()));
        Assert.Equal(now.AddSeconds(30), breaker.GetProperty("openUntil").GetDateTimeOffset());
        Assert.Equal(JsonValueKind.Null, crm["Incoming"].GetProperty("circuitBreaker").ValueKind);
    }

    [Theory]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(1000)]
    public async Task ListTasks_PagesWithTheCursor_ReturnsEveryRowOnceInOrder(int limit)
    {
        await using var host = await StartPausedAsync(5);
        var rows = new List<(long TaskId, string Connector)>();
        string? after = null;
        var pages = 0;

        do
        {
            var page = await host.GetJsonAsync($"tasks?limit={limit}" + (after is null ? string.Empty : $"&after={after}"));
            var items = page.GetProperty("items").EnumerateArray().ToList();
            Assert.True(items.Count <= limit);
            rows.AddRange(items.Select(i => (i.GetProperty("task").GetProperty("id").GetInt64(), i.GetProperty("synchronization").GetProperty("connector").GetString()!)));
            after = page.GetProperty("next").GetString();
            if (after is not null)
            {
                Assert.Equal(limit, items.Count);
                Assert.Matches("^[A-Za-z0-9_-]+$", after);
            }

            pages++;
        }
        while (after is not null);

        Assert.Equal(15, rows.Count);
        Assert.Equal(rows.Distinct().Count(), rows.Count);
        Assert.Equal(rows.OrderBy(r => r.TaskId).ThenBy(r => r.Connector, StringComparer.Ordinal), rows);
        Assert.Equal(limit >= 15 ? 1 : (15 / limit) + 1, pages);
    }

    [Theory]
    [InlineData("connector=crm", 5)]
    [InlineData("connector=crm&direction=Outgoing", 5)]
    [InlineData("direction=incoming", 0)]
    [InlineData("status=Pending", 15)]
    [InlineData("status=Error", 0)]
    [InlineData("objectType=crm.contact", 15)]
    [InlineData("objectType=content.article", 0)]
    [InlineData("taskType=CreateObject", 15)]
    [InlineData("taskType=DeleteObject", 0)]
    [InlineData("createdFrom=2026-03-01T12:00:00Z", 15)]
    [InlineData("createdFrom=2026-03-01T12:00:01Z", 0)]
    [InlineData("createdBefore=2026-03-01T12:00:00Z", 0)]
    [InlineData("createdBefore=2026-03-01T13:00:00%2B01:00", 0)]
    [InlineData("createdBefore=2026-03-01T12:00:01Z&connector=open", 5)]
    public async Task ListAndCountTasks_Filter_ReturnMatchingRows(string query, int expected)
    {
        await using var host = await StartPausedAsync(5);

        var page = await host.GetJsonAsync($"tasks?{query}&limit=100");
        var count = await host.GetJsonAsync($"tasks/count?{query}");

        Assert.Equal(expected, page.GetProperty("items").GetArrayLength());
        Assert.Equal(expected, count.GetProperty("count").GetInt64());
        Assert.Equal(JsonValueKind.Null, page.GetProperty("next").ValueKind);
    }

    [Fact]
    public async Task ListTasks_TextIsATaskGuid_ReturnsThatTaskForEachConnector()
    {
        await using var host = await StartPausedAsync(3);
        var all = await host.GetJsonAsync("tasks");
        var guid = all.GetProperty("items")[0].GetProperty("task").GetProperty("guid").GetString();

        var page = await host.GetJsonAsync($"tasks?text={guid}");

        Assert.Equal(3, page.GetProperty("items").GetArrayLength());
        Assert.All(page.GetProperty("items").EnumerateArray(), i => Assert.Equal(guid, i.GetProperty("task").GetProperty("guid").GetString()));
    }

    [Theory]
    [InlineData("tasks?status=Sleeping", "status", "Sleeping")]
    [InlineData("tasks?direction=Up", "direction", "Up")]
    [InlineData("tasks?taskType=Frobnicate", "taskType", "Frobnicate")]
    [InlineData("tasks?status=1", "status", "1")]
    [InlineData("tasks?createdFrom=yesterday", "createdFrom", "yesterday")]
    [InlineData("tasks?limit=0", "limit", "0")]
    [InlineData("tasks?limit=1001", "limit", "1001")]
    [InlineData("tasks?limit=ten", "limit", "ten")]
    [InlineData("tasks?after=not*a*cursor", "after", "not*a*cursor")]
    [InlineData("tasks?after=Zm9v", "after", "Zm9v")]
    [InlineData("tasks/count?createdBefore=31.12.2026x", "createdBefore", "31.12.2026x")]
    [InlineData("audit?limit=-1", "limit", "-1")]
    [InlineData("audit?beforeId=abc", "beforeId", "abc")]
    [InlineData("history?direction=Sideways", "direction", "Sideways")]
    [InlineData("tasks/abc", "id", "abc")]
    [InlineData("tasks/-5", "id", "-5")]
    public async Task Get_BadValue_Returns400NamingParameterAndValue(string path, string parameter, string value)
    {
        await using var host = await ManagementTestHost.StartAsync();

        var problem = await HttpTestHost.AssertProblemAsync(await host.SendAsync(HttpMethod.Get, path), 400, "invalid-request");

        var detail = problem.GetProperty("detail").GetString()!;
        Assert.Contains($"'{parameter}'", detail, StringComparison.Ordinal);
        Assert.Contains($"'{value}'", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetTask_Existing_ReturnsPayloadStatesAttemptsAndObject()
    {
        await using var host = await StartPausedAsync(1);
        var id = (await host.Management.ListTasksAsync(new TaskQuery(), Token)).Items[0].Task.Id;

        var task = await host.GetJsonAsync($"tasks/{id}");

        var detail = task.GetProperty("detail");
        Assert.Equal(id, detail.GetProperty("task").GetProperty("id").GetInt64());
        Assert.Equal("CreateObject", detail.GetProperty("task").GetProperty("taskType").GetString());
        Assert.Contains("contact0@example.com", detail.GetProperty("payload").GetString(), StringComparison.Ordinal);
        Assert.Equal(["crm", "open", "signed"], detail.GetProperty("synchronizations").EnumerateArray().Select(s => s.GetProperty("connector").GetString()));
        Assert.All(detail.GetProperty("synchronizations").EnumerateArray(), s => Assert.Equal("Pending", s.GetProperty("status").GetString()));
        Assert.Equal(0, task.GetProperty("attempts").GetArrayLength());
        Assert.Equal("crm.contact", task.GetProperty("snapshot").GetProperty("objectType").GetString());
        Assert.Equal("contact0@example.com", task.GetProperty("snapshot").GetProperty("fields").GetProperty("Email").GetString());
        Assert.Equal(JsonValueKind.Null, task.GetProperty("payloadError").ValueKind);
    }

    [Fact]
    public async Task GetTask_Unknown_Returns404()
    {
        await using var host = await ManagementTestHost.StartAsync();

        var problem = await HttpTestHost.AssertProblemAsync(await host.SendAsync(HttpMethod.Get, "tasks/424242"), 404, "unknown-task");

        Assert.Contains("424242", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RetryTask_SkippedTask_MakesItPendingAndAuditsActorAndCount()
    {
        await using var host = await ManagementTestHost.StartAsync(failing: true);
        await host.LogContactsAsync(1);
        var skipped = new TaskQuery { Connector = FailingConnector.Name, Status = SynchronizationStatus.Skipped };
        await host.WaitUntilAsync(FailingConnector.Name, TaskDirection.Outgoing, async () => await host.Management.CountTasksAsync(skipped, Token) == 1);
        await host.Management.UpdateSettingsAsync(BusSettings.Default with { ProcessOutgoing = false }, "setup", Token);
        var id = (await host.Management.ListTasksAsync(skipped, Token)).Items[0].Task.Id;

        var answer = await host.SendJsonAsync(HttpMethod.Post, $"tasks/{id}/retry?connector=failing");

        Assert.Equal(1, answer.GetProperty("count").GetInt32());
        Assert.Equal(1, await host.Management.CountTasksAsync(new TaskQuery { Connector = FailingConnector.Name, Status = SynchronizationStatus.Pending }, Token));
        var entry = (await host.Management.ListAuditAsync(new AuditQuery(), Token))[0];
        Assert.Equal(("admin", ManagementActions.RetryTask, 1L), (entry.Actor, entry.Action, entry.Count));
        Assert.Contains($"task {id} for failing", entry.Target, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RetryTask_PendingOrUnknown_Returns404()
    {
        await using var host = await StartPausedAsync(1);
        var id = (await host.Management.ListTasksAsync(new TaskQuery(), Token)).Items[0].Task.Id;

        await HttpTestHost.AssertProblemAsync(await host.SendAsync(HttpMethod.Post, $"tasks/{id}/retry"), 404, "unknown-task");
        await HttpTestHost.AssertProblemAsync(await host.SendAsync(HttpMethod.Post, "tasks/999999/retry"), 404, "unknown-task");
    }

    [Fact]
    public async Task DeleteTask_AllConnectors_DeletesAndAuditsThenUnknown404()
    {
        await using var host = await StartPausedAsync(2);
        var id = (await host.Management.ListTasksAsync(new TaskQuery(), Token)).Items[0].Task.Id;

        var answer = await host.SendJsonAsync(HttpMethod.Delete, $"tasks/{id}");
        var again = await host.SendAsync(HttpMethod.Delete, $"tasks/{id}");
        var read = await host.SendAsync(HttpMethod.Get, $"tasks/{id}");

        Assert.Equal(3, answer.GetProperty("count").GetInt32());
        await HttpTestHost.AssertProblemAsync(again, 404, "unknown-task");
        await HttpTestHost.AssertProblemAsync(read, 404, "unknown-task");
        Assert.Equal(3, await host.Management.CountTasksAsync(new TaskQuery(), Token));
        var entries = await host.Management.ListAuditAsync(new AuditQuery(), Token);
        Assert.Contains(entries, e => (e.Actor, e.Action, e.Count) == ("admin", ManagementActions.DeleteTask, 3L));
    }

    [Fact]
    public async Task DeleteTask_OneConnector_LeavesTheOthers()
    {
        await using var host = await StartPausedAsync(1);
        var id = (await host.Management.ListTasksAsync(new TaskQuery(), Token)).Items[0].Task.Id;

        var answer = await host.SendJsonAsync(HttpMethod.Delete, $"tasks/{id}?connector=signed");

        Assert.Equal(1, answer.GetProperty("count").GetInt32());
        Assert.Equal(["crm", "open"], (await host.Management.ListTasksAsync(new TaskQuery(), Token)).Items.Select(i => i.Synchronization.Connector));
    }

    [Fact]
    public async Task BulkAction_FilterWithoutCriterion_Returns400UnlessAll()
    {
        await using var host = await StartPausedAsync(2);

        var refused = await host.SendAsync(HttpMethod.Post, "tasks/delete", body: new { dryRun = true });
        var counted = await host.SendJsonAsync(HttpMethod.Post, "tasks/delete", new { dryRun = true, all = true });

        var problem = await HttpTestHost.AssertProblemAsync(refused, 400, "invalid-request");
        Assert.Contains("\"all\": true", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(6, counted.GetProperty("count").GetInt64());
        Assert.True(counted.GetProperty("dryRun").GetBoolean());
        Assert.False(counted.TryGetProperty("batches", out _));
        Assert.Equal(6, await host.Management.CountTasksAsync(new TaskQuery(), Token));
    }

    [Theory]
    [InlineData("""{ "status": "Nope" }""", 400, "invalid-request", "'Nope'")]
    [InlineData("""{ "connector": "crm", "createdFrom": "soon" }""", 400, "invalid-request", "'createdFrom'")]
    [InlineData("""{ "connector": "crm", "dryRun": "yes" }""", 400, "invalid-request", "dryRun")]
    [InlineData("""{ "connector": """, 400, "invalid-request", "not valid")]
    [InlineData("null", 400, "invalid-request", "null")]
    public async Task BulkAction_BadBody_Returns400AndChangesNothing(string body, int status, string kind, string mention)
    {
        await using var host = await StartPausedAsync(1);

        var problem = await HttpTestHost.AssertProblemAsync(await host.SendAsync(HttpMethod.Post, "tasks/delete", body: body), status, kind);

        Assert.Contains(mention, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(3, await host.Management.CountTasksAsync(new TaskQuery(), Token));
    }

    [Fact]
    public async Task BulkAction_NotJson_Returns415()
    {
        await using var host = await StartPausedAsync(1);
        var request = ManagementTestHost.Request(HttpMethod.Post, "tasks/retry", null);
        request.Content = new StringContent("connector=crm", System.Text.Encoding.UTF8, "application/x-www-form-urlencoded");
        request.Headers.Authorization = new("Bearer", "admin");

        await HttpTestHost.AssertProblemAsync(await host.Client.SendAsync(request, Token), 415, "unsupported-media-type");
    }
}
