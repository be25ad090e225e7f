using System.Globalization;
using System.Text.Json;
using IntegrationBus.Storage;

namespace IntegrationBus.Cli.Tests;

/// <summary><c>ibus tasks retry</c> and <c>ibus tasks delete</c>: one task, or by filter after a count and a confirmation.</summary>
public sealed class TaskActionCommandTests
{
    private static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);

    [Fact]
    public async Task RetryOne_ErroredTaskForOneConnector_PendingAgainInTheStore()
    {
        await using var store = await SeededStore.CreateAsync();
        var id = store.Outgoing[0];

        var result = await Ibus.RunOkAsync(store.Args("tasks", "retry", Id(id), "--connector", "crm"));

        Assert.Equal([$"Retried task {id} for crm: 1 synchronization."], result.Lines);
        Assert.Equal(SynchronizationStatus.Pending, await store.StatusAsync(id, "crm"));
        Assert.Equal(SynchronizationStatus.Skipped, await store.StatusAsync(store.Outgoing[1], "crm"));
    }

    [Fact]
    public async Task RetryOne_NothingToRetry_ExitsOne()
    {
        await using var store = await SeededStore.CreateAsync();

        var result = await Ibus.RunAsync(store.Args("tasks", "retry", Id(store.Outgoing[4])));

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith($"ibus: Nothing retried: task {store.Outgoing[4]} does not exist, or none of its synchronizations", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RetryMany_FilterWithYes_RetriesWithoutAskingAndAnswersInJson()
    {
        await using var store = await SeededStore.CreateAsync();

        var answer = await Ibus.JsonAsync(store.Args("tasks", "retry", "--connector", "crm", "--status", "Failed", "--yes"));

        Assert.Equal(1, answer.GetProperty("count").GetInt64());
        Assert.True(answer.GetProperty("batches").GetInt32() >= 1);
        Assert.False(answer.GetProperty("dryRun").GetBoolean());
        Assert.Equal(SynchronizationStatus.Pending, await store.StatusAsync(store.Outgoing[2], "crm"));
        Assert.Equal(SynchronizationStatus.Error, await store.StatusAsync(store.Outgoing[0], "crm"));
    }

    [Fact]
    public async Task RetryMany_DryRun_CountsAndChangesNothing()
    {
        await using var store = await SeededStore.CreateAsync();

        var answer = await Ibus.JsonAsync(store.Args("tasks", "retry", "--connector", "crm", "--dry-run"));
        var text = await Ibus.RunOkAsync(store.Args("tasks", "retry", "--connector", "crm", "--direction", "Outgoing", "--dry-run"));

        Assert.Equal(6, answer.GetProperty("count").GetInt64());
        Assert.True(answer.GetProperty("dryRun").GetBoolean());
        Assert.Equal(["5 tasks match --connector crm --direction Outgoing (dry run: nothing retried)."], text.Lines);
        Assert.Equal(SynchronizationStatus.Failed, await store.StatusAsync(store.Outgoing[2], "crm"));
    }

    [Fact]
    public async Task DeleteMany_ConfirmationAnsweredNo_ExitsOneAndDeletesNothing()
    {
        await using var store = await SeededStore.CreateAsync();

        var result = await Ibus.RunAsync(store.Args("tasks", "delete", "--object-type", "test.order"), input: "n\n");

        Assert.Equal(1, result.ExitCode);
        Assert.Empty(result.Output);
        Assert.Equal("Delete 4 tasks matching --object-type test.order? [y/N] ibus: Cancelled: nothing deleted.", result.Error.TrimEnd());
        Assert.Equal(4, (await store.ListAsync(new TaskQuery { ObjectType = "test.order" })).Count);
    }

    [Fact]
    public async Task DeleteMany_ConfirmationAnsweredYes_DeletesTheMatchingTasks()
    {
        await using var store = await SeededStore.CreateAsync();

        var result = await Ibus.RunAsync(store.Args("tasks", "delete", "--object-type", "test.order"), input: "y\n");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("Delete 4 tasks matching --object-type test.order? [y/N]", result.Error.TrimEnd());
        Assert.Matches(@"^Deleted 4 tasks matching --object-type test\.order in \d+ batch(es)?\.$", Assert.Single(result.Lines));
        Assert.Empty(await store.ListAsync(new TaskQuery { ObjectType = "test.order" }));
        Assert.Equal(7, (await store.ListAsync()).Count);
    }

    [Fact]
    public async Task DeleteMany_NoAnswerOnStandardInput_RefusesWithExitOne()
    {
        await using var store = await SeededStore.CreateAsync();

        var result = await Ibus.RunAsync(store.Args("tasks", "delete", "--connector", "erp"));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("ibus: No answer on standard input: nothing deleted. Pass --yes to delete without asking.", result.Error, StringComparison.Ordinal);
        Assert.Equal(5, (await store.ListAsync(new TaskQuery { Connector = "erp" })).Count);
    }

    [Fact]
    public async Task DeleteMany_NoCriterion_UsageErrorUnlessAll()
    {
        await using var store = await SeededStore.CreateAsync();

        var refused = await Ibus.RunAsync(store.Args("tasks", "delete", "--yes"));
        var all = await Ibus.JsonAsync(store.Args("tasks", "delete", "--all", "--yes"));

        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("--all acts on every task", refused.Error, StringComparison.Ordinal);
        Assert.Equal(11, all.GetProperty("count").GetInt64());
        Assert.Empty(await store.ListAsync());
    }

    [Fact]
    public async Task DeleteOne_AllConnectors_GoneFromTheStore()
    {
        await using var store = await SeededStore.CreateAsync();
        var id = store.Outgoing[1];

        var answer = await Ibus.JsonAsync(store.Args("tasks", "delete", Id(id)));
        var again = await Ibus.RunAsync(store.Args("tasks", "delete", Id(id)));

        Assert.Equal(2, answer.GetProperty("count").GetInt32());
        Assert.Null(await store.StatusAsync(id, "crm"));
        Assert.Null(await store.StatusAsync(id, "erp"));
        Assert.Equal(1, again.ExitCode);
        Assert.Equal($"ibus: Nothing deleted: task {id} does not exist.", again.Error.TrimEnd());
    }

    [Fact]
    public async Task RetryOne_WithAFilterOption_UsageError()
    {
        await using var store = await SeededStore.CreateAsync();

        var result = await Ibus.RunAsync(store.Args("tasks", "retry", Id(store.Outgoing[0]), "--status", "Error"));

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(SynchronizationStatus.Error, await store.StatusAsync(store.Outgoing[0], "crm"));
    }

    [Fact]
    public async Task Audit_AfterAnAction_ShowsWhoDidWhatToHowMany()
    {
        await using var store = await SeededStore.CreateAsync();
        await Ibus.RunOkAsync(store.Args("tasks", "retry", "--connector", "crm", "--status", "Error", "--yes"));

        var entries = await Ibus.JsonAsync(store.Args("audit"));

        var entry = entries.EnumerateArray().First();
        Assert.Equal("tasks.retry", entry.GetProperty("action").GetString());
        Assert.Equal(1, entry.GetProperty("count").GetInt64());
        Assert.StartsWith("ibus", entry.GetProperty("actor").GetString(), StringComparison.Ordinal);
        Assert.Contains("connector=crm", entry.GetProperty("target").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.String, entry.GetProperty("at").ValueKind);
    }
}
