using System.Globalization;
using System.Text.Json;
using IntegrationBus.Storage;

namespace IntegrationBus.Cli.Tests;

/// <summary>
/// <c>ibus --url</c> against a running application's management API (a real Kestrel server on loopback): the same
/// answers as over the store, and the same actions.
/// </summary>
public sealed class UrlCommandTests
{
    private static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);

    [Fact]
    public async Task Url_ReadCommands_SameJsonAsOverTheStore()
    {
        await using var store = await SeededStore.CreateAsync();
        await using var app = await ManagementApp.StartAsync(store.Path);

        foreach (var command in new[] { new[] { "tasks", "list", "--limit", "4" }, ["tasks", "list", "--connector", "crm", "--status", "Error"], ["settings", "get"], ["connectors", "list"] })
        {
            var overStore = await Ibus.RunOkAsync(store.Args([.. command, "--json"]));
            var overHttp = await Ibus.RunOkAsync(app.Args(ManagementApp.ViewerToken, [.. command, "--json"]));

            Assert.Equal(overStore.Output, overHttp.Output);
        }

        // A task: the same stored task, states and attempts; only the application reads the payload into its types
        // (here it knows none, so it says why), while the tool over the store leaves that empty.
        var taskOverStore = await Ibus.JsonAsync(store.Args("tasks", "show", Id(store.Outgoing[0])));
        var taskOverHttp = await Ibus.JsonAsync(app.Args(ManagementApp.ViewerToken, "tasks", "show", Id(store.Outgoing[0])));
        Assert.Equal(taskOverStore.GetProperty("detail").GetRawText(), taskOverHttp.GetProperty("detail").GetRawText());
        Assert.Equal(taskOverStore.GetProperty("attempts").GetRawText(), taskOverHttp.GetProperty("attempts").GetRawText());
        Assert.Equal(JsonValueKind.Null, taskOverStore.GetProperty("payloadError").ValueKind);
        Assert.Equal(JsonValueKind.String, taskOverHttp.GetProperty("payloadError").ValueKind);
    }

    [Fact]
    public async Task Url_PagingWithTheApiCursor_EveryRowOnce()
    {
        await using var store = await SeededStore.CreateAsync();
        await using var app = await ManagementApp.StartAsync(store.Path);
        var ids = new List<long>();
        string? after = null;

        do
        {
            var page = await Ibus.JsonAsync(app.Args(ManagementApp.ViewerToken, after is null ? ["tasks", "list", "--limit", "5"] : ["tasks", "list", "--limit", "5", "--after", after]));
            ids.AddRange(page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("task").GetProperty("id").GetInt64()));
            after = page.GetProperty("next").GetString();
        }
        while (after is not null);

        Assert.Equal((await store.ListAsync()).Select(r => r.Task.Id), ids);
    }

    [Fact]
    public async Task Url_StatusAndQueues_CountsOfTheStore()
    {
        await using var store = await SeededStore.CreateAsync();
        await using var app = await ManagementApp.StartAsync(store.Path);

        var status = await Ibus.RunOkAsync(app.Args(ManagementApp.ViewerToken, "status"));
        var queues = await Ibus.JsonAsync(app.Args(ManagementApp.ViewerToken, "queues"));

        Assert.Matches(@"(?m)^crm outgoing\s+yes\s+2\s+1\s+1\s+1\s+4\s.*open until 2100-01-01T00:00:00Z$", status.Output);
        Assert.Matches(@"(?m)^TOTAL\s+8\s+1\s+1\s+1\s+10$", status.Output);
        Assert.Equal(4, queues.EnumerateArray().Single(q => q.GetProperty("connector").GetString() == "crm" && q.GetProperty("direction").GetString() == "Outgoing").GetProperty("depth").GetInt64());
    }

    [Fact]
    public async Task Url_Actions_ChangeTheStoreAndAreAuditedAsTheTokensUser()
    {
        await using var store = await SeededStore.CreateAsync();
        await using var app = await ManagementApp.StartAsync(store.Path);

        var retried = await Ibus.JsonAsync(app.Args(ManagementApp.OperatorToken, "tasks", "retry", "--connector", "crm", "--status", "Failed", "--yes"));
        var deleted = await Ibus.RunAsync(app.Args(ManagementApp.OperatorToken, "tasks", "delete", "--object-type", "test.order"), input: "y\n");
        var one = await Ibus.JsonAsync(app.Args(ManagementApp.OperatorToken, "tasks", "retry", Id(store.Outgoing[0]), "--connector", "crm"));
        var nothing = await Ibus.RunAsync(app.Args(ManagementApp.OperatorToken, "tasks", "retry", Id(store.Outgoing[0])));
        await Ibus.RunOkAsync(app.Args(ManagementApp.OperatorToken, "connectors", "disable", "erp"));
        var settings = await Ibus.JsonAsync(app.Args(ManagementApp.OperatorToken, "settings", "set", "processIncoming=false"));
        var purged = await Ibus.JsonAsync(app.Args(ManagementApp.OperatorToken, "purge"));
        var audit = await Ibus.JsonAsync(app.Args(ManagementApp.ViewerToken, "audit"));

        Assert.Equal((1, false), (retried.GetProperty("count").GetInt64(), retried.GetProperty("dryRun").GetBoolean()));
        Assert.Equal(SynchronizationStatus.Pending, await store.StatusAsync(store.Outgoing[2], "crm"));
        Assert.Equal(0, deleted.ExitCode);
        Assert.Equal("Delete 4 tasks matching --object-type test.order? [y/N]", deleted.Error.TrimEnd());
        Assert.Empty(await store.ListAsync(new TaskQuery { ObjectType = "test.order" }));
        Assert.Equal(1, one.GetProperty("count").GetInt32());
        Assert.Equal(SynchronizationStatus.Pending, await store.StatusAsync(store.Outgoing[0], "crm"));
        Assert.Equal(1, nothing.ExitCode);
        Assert.False((await store.Store.Configuration.GetConnectorsAsync(TestContext.Current.CancellationToken)).Single(c => c.Name == "erp").Enabled);
        Assert.False(settings.GetProperty("processIncoming").GetBoolean());
        Assert.Equal(3, purged.GetProperty("attempts").GetInt64());
        var actions = audit.EnumerateArray().Select(e => (e.GetProperty("actor").GetString(), e.GetProperty("action").GetString())).ToList();
        Assert.Contains(("ops", "tasks.retry"), actions);
        Assert.Contains(("ops", "tasks.delete"), actions);
        Assert.Contains(("ops", "connector.disable"), actions);
        Assert.Contains(("ops", "settings.update"), actions);
    }

    [Fact]
    public async Task Url_ViewerTokenChanging_ExitsOneAndChangesNothing()
    {
        await using var store = await SeededStore.CreateAsync();
        await using var app = await ManagementApp.StartAsync(store.Path);

        var result = await Ibus.RunAsync(app.Args(ManagementApp.ViewerToken, "connectors", "disable", "crm"));

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("ibus: POST api/connectors/crm/disable answered 403: the token may not do this (an operate permission is needed to change anything)", result.Error.TrimEnd());
        Assert.True((await store.Store.Configuration.GetConnectorsAsync(TestContext.Current.CancellationToken)).Single(c => c.Name == "crm").Enabled);
    }

    [Fact]
    public async Task Url_BadOrMissingToken_ExitsOne()
    {
        await using var store = await SeededStore.CreateAsync();
        await using var app = await ManagementApp.StartAsync(store.Path);

        var bad = await Ibus.RunAsync(app.Args("wrong", "queues"));
        var missing = await Ibus.RunAsync(["queues", "--url", app.Url]);

        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("answered 401: the token was refused", bad.Error, StringComparison.Ordinal);
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("answered 401", missing.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Url_MissingTask_ExitsOne()
    {
        await using var store = await SeededStore.CreateAsync();
        await using var app = await ManagementApp.StartAsync(store.Path);

        var result = await Ibus.RunAsync(app.Args(ManagementApp.ViewerToken, "tasks", "show", "999999"));

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("ibus: Task 999999 does not exist (delivered to every connector, deleted, or never logged).", result.Error.TrimEnd());
    }
}
