using System.Globalization;
using System.Text.Json;
using IntegrationBus.Storage;

namespace IntegrationBus.Cli.Tests;

/// <summary><c>ibus tasks list</c> and <c>ibus tasks show</c> against a real SQLite store.</summary>
public sealed class TasksCommandTests
{
    private static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);

    private static List<(long Id, string Connector, string Direction)> Rows(JsonElement page) =>
        [.. page.GetProperty("items").EnumerateArray().Select(i => (
            i.GetProperty("task").GetProperty("id").GetInt64(),
            i.GetProperty("synchronization").GetProperty("connector").GetString()!,
            i.GetProperty("synchronization").GetProperty("direction").GetString()!))];

    [Fact]
    public async Task List_ConnectorAndStatus_OnlyTheErroredTask()
    {
        await using var store = await SeededStore.CreateAsync();

        var page = await Ibus.JsonAsync(store.Args("tasks", "list", "--connector", "crm", "--status", "Error"));

        Assert.Equal([(store.Outgoing[0], "crm", "Outgoing")], Rows(page));
        var row = page.GetProperty("items")[0];
        Assert.Equal("Error", row.GetProperty("synchronization").GetProperty("status").GetString());
        Assert.Equal("CRM down", row.GetProperty("synchronization").GetProperty("lastError").GetString());
        Assert.Equal("UpdateObject", row.GetProperty("task").GetProperty("taskType").GetString());
        Assert.Equal(JsonValueKind.Null, page.GetProperty("next").ValueKind);
    }

    [Theory]
    [InlineData(new[] { "--object-type", "test.order" }, 4)]
    [InlineData(new[] { "--direction", "Incoming" }, 1)]
    [InlineData(new[] { "--task-type", "CreateObject" }, 1)]
    [InlineData(new[] { "--status", "Pending", "--connector", "erp" }, 5)]
    [InlineData(new[] { "--from", "2026-03-01T10:00:00Z", "--before", "2026-03-01T12:00:00Z" }, 4)]
    [InlineData(new[] { "--from", "2026-03-01T13:00:00+02:00" }, 7)]
    public async Task List_Filter_MatchesWhatTheLibraryLists(string[] filter, int expected)
    {
        await using var store = await SeededStore.CreateAsync();

        var page = await Ibus.JsonAsync(store.Args(["tasks", "list", .. filter]));

        Assert.Equal(expected, page.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task List_Text_FindsTheObjectByCodeName()
    {
        await using var store = await SeededStore.CreateAsync();

        var page = await Ibus.JsonAsync(store.Args("tasks", "list", "--connector", "erp", "--text", store.Tasks[1].ObjectCodeName!));

        Assert.Equal([(store.Outgoing[1], "erp", "Outgoing")], Rows(page));
    }

    [Fact]
    public async Task List_PagedByCursor_EveryRowOnceInOrderThenNoNext()
    {
        await using var store = await SeededStore.CreateAsync();
        var rows = new List<(long Id, string Connector, string Direction)>();
        string? after = null;
        var pages = 0;

        do
        {
            var page = await Ibus.JsonAsync(store.Args(after is null ? ["tasks", "list", "--limit", "4"] : ["tasks", "list", "--limit", "4", "--after", after]));
            rows.AddRange(Rows(page));
            after = page.GetProperty("next").GetString();
            pages++;
        }
        while (after is not null);

        var expected = (await store.ListAsync()).Select(r => (r.Task.Id, r.Synchronization.Connector, r.Synchronization.Direction.ToString())).ToList();
        Assert.Equal(11, expected.Count);
        Assert.Equal(expected, rows);
        Assert.Equal(3, pages);
    }

    [Fact]
    public async Task List_Table_RowsUnderAHeaderAndTheNextCursor()
    {
        await using var store = await SeededStore.CreateAsync();

        var result = await Ibus.RunOkAsync(store.Args("tasks", "list", "--connector", "crm", "--limit", "2"));

        Assert.Matches(@"^ID\s+CONNECTOR\s+DIRECTION\s+STATUS\s+TASK TYPE\s+OBJECT TYPE\s+OBJECT\s+CREATED\s+ATTEMPTS\s+LAST ERROR$", result.Lines[0]);
        Assert.Matches($@"^{store.Outgoing[0]}\s+crm\s+Outgoing\s+Error\s+UpdateObject\s+test\.contact\s+{store.Tasks[0].ObjectDisplayName}\s+2026-03-01T09:00:00Z\s+1\s+CRM down$", result.Lines[1]);
        Assert.Matches($@"^{store.Outgoing[1]}\s+crm\s+Outgoing\s+Skipped\s", result.Lines[2]);
        Assert.StartsWith("next: ", result.Lines[3], StringComparison.Ordinal);

        var second = await Ibus.RunOkAsync(store.Args("tasks", "list", "--connector", "crm", "--limit", "2", "--after", result.Lines[3]["next: ".Length..]));
        Assert.Matches($@"^{store.Outgoing[2]}\s+crm\s+Outgoing\s+Failed\s", second.Lines[1]);
    }

    [Fact]
    public async Task List_NothingMatches_SaysSoAndExitsZero()
    {
        await using var store = await SeededStore.CreateAsync();

        var result = await Ibus.RunOkAsync(store.Args("tasks", "list", "--connector", "nobody"));

        Assert.Equal(["No tasks match."], result.Lines);
    }

    [Fact]
    public async Task Show_ErroredTask_DetailStatesPrettyPayloadAndAttemptLog()
    {
        await using var store = await SeededStore.CreateAsync();
        var id = store.Outgoing[0];

        var result = await Ibus.RunOkAsync(store.Args("tasks", "show", Id(id)));

        Assert.Equal($"Task {id}: UpdateObject test.contact (Outgoing, Simple)", result.Lines[0]);
        Assert.Contains(result.Lines, l => l.StartsWith("code name", StringComparison.Ordinal) && l.EndsWith(store.Tasks[0].ObjectCodeName!, StringComparison.Ordinal));
        Assert.Matches(@"(?m)^crm\s+Outgoing\s+Error\s+1\s+\S+\s+\S+\s+CRM down$", result.Output);
        Assert.Matches(@"(?m)^erp\s+Outgoing\s+Pending\s+0$", result.Output);
        Assert.Contains("Payload:\n{\n  \"v\": 1,\n  \"fields\": {\n    \"name\": ", result.Output, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^\S+  crm Outgoing  Error: CRM down$", result.Output);
        Assert.Contains("\n    System.Net.Http.HttpRequestException: CRM down\n       at Crm.Client.SendAsync()\n", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Show_Json_TheManagementApiShape()
    {
        await using var store = await SeededStore.CreateAsync();
        var id = store.Outgoing[0];

        var task = await Ibus.JsonAsync(store.Args("tasks", "show", Id(id)));

        var detail = task.GetProperty("detail");
        Assert.Equal(id, detail.GetProperty("task").GetProperty("id").GetInt64());
        Assert.Equal(store.Tasks[0].Guid, detail.GetProperty("task").GetProperty("guid").GetGuid());
        Assert.Equal(store.Tasks[0].Payload, detail.GetProperty("payload").GetString());
        Assert.Equal(["crm", "erp"], detail.GetProperty("synchronizations").EnumerateArray().Select(s => s.GetProperty("connector").GetString()));
        var attempt = Assert.Single(task.GetProperty("attempts").EnumerateArray());
        Assert.Equal(("Error", "CRM down"), (attempt.GetProperty("result").GetString(), attempt.GetProperty("message").GetString()));
    }

    [Fact]
    public async Task Show_MissingTask_ExitsOneWithOneLineOnStandardError()
    {
        await using var store = await SeededStore.CreateAsync();

        var result = await Ibus.RunAsync(store.Args("tasks", "show", "999999"));

        Assert.Equal(1, result.ExitCode);
        Assert.Empty(result.Output);
        Assert.Equal("ibus: Task 999999 does not exist (delivered to every connector, deleted, or never logged).", result.Error.TrimEnd());
    }
}
