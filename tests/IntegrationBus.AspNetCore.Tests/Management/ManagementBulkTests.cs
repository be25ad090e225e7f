using IntegrationBus.AspNetCore.Tests.Support;
using IntegrationBus.Management;
using IntegrationBus.Storage;

namespace IntegrationBus.AspNetCore.Tests.Management;

public sealed class ManagementBulkTests
{
    private const int Tasks = 10_000;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task BulkDelete_TenThousandTasks_DryRunCountsThenDeletesExactlyThose()
    {
        await using var host = await ManagementTestHost.StartAsync();
        await host.Management.UpdateSettingsAsync(BusSettings.Default with { ProcessOutgoing = false }, "setup", Token);
        await host.LogContactsAsync(Tasks);
        var filter = new { connector = "crm", direction = "Outgoing", status = "Pending" };

        var dryRun = await host.SendJsonAsync(HttpMethod.Post, "tasks/delete", new { filter.connector, filter.direction, filter.status, dryRun = true });
        var done = await host.SendJsonAsync(HttpMethod.Post, "tasks/delete", filter);

        Assert.Equal(Tasks, dryRun.GetProperty("count").GetInt64());
        Assert.True(dryRun.GetProperty("dryRun").GetBoolean());
        Assert.Equal(Tasks, done.GetProperty("count").GetInt64());
        Assert.False(done.GetProperty("dryRun").GetBoolean());
        Assert.True(done.GetProperty("batches").GetInt32() >= Tasks / 1_000);
        Assert.Equal(0, await host.Management.CountTasksAsync(new TaskQuery { Connector = "crm" }, Token));
        Assert.Equal(Tasks, await host.Management.CountTasksAsync(new TaskQuery { Connector = "signed" }, Token));
        Assert.Equal(Tasks, await host.Management.CountTasksAsync(new TaskQuery { Connector = "open" }, Token));
        var crm = (await host.Management.GetQueuesAsync(Token)).Single(q => q.Connector == "crm" && q.Direction == TaskDirection.Outgoing);
        Assert.Equal(0, crm.Depth);
        var entry = (await host.Management.ListAuditAsync(new AuditQuery(), Token))[0];
        Assert.Equal(("admin", ManagementActions.DeleteTasks, (long)Tasks), (entry.Actor, entry.Action, entry.Count));
        Assert.Contains("connector=crm", entry.Target, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BulkRetry_TenThousandSkippedTasks_DryRunCountsThenMakesThemPending()
    {
        await using var host = await ManagementTestHost.StartAsync(failing: true);
        foreach (var connector in new[] { "crm", "signed", "open" })
        {
            Assert.Equal(System.Net.HttpStatusCode.NoContent, (await host.SendAsync(HttpMethod.Post, $"connectors/{connector}/disable")).StatusCode);
        }

        await host.LogContactsAsync(Tasks);
        var skipped = new TaskQuery { Connector = FailingConnector.Name, Status = SynchronizationStatus.Skipped };
        await host.WaitUntilAsync(FailingConnector.Name, TaskDirection.Outgoing, async () => await host.Management.CountTasksAsync(skipped, Token) == Tasks);
        await host.SendJsonAsync(HttpMethod.Put, "settings", BusSettings.Default with { ProcessOutgoing = false });

        var dryRun = await host.SendJsonAsync(HttpMethod.Post, "tasks/retry", new { connector = FailingConnector.Name, status = "skipped", dryRun = true });
        var done = await host.SendJsonAsync(HttpMethod.Post, "tasks/retry", new { connector = FailingConnector.Name, status = "skipped" });

        Assert.Equal(Tasks, dryRun.GetProperty("count").GetInt64());
        Assert.Equal(Tasks, done.GetProperty("count").GetInt64());
        Assert.Equal(0, await host.Management.CountTasksAsync(skipped, Token));
        var pending = await host.Management.ListTasksAsync(new TaskQuery { Connector = FailingConnector.Name, Limit = 1_000 }, Token);
        Assert.All(pending.Items, i => Assert.Equal((SynchronizationStatus.Pending, 0), (i.Synchronization.Status, i.Synchronization.Attempts)));
        Assert.Equal(Tasks, await host.Management.CountTasksAsync(new TaskQuery { Connector = FailingConnector.Name, Status = SynchronizationStatus.Pending }, Token));
        var queue = (await host.Management.GetQueuesAsync(Token)).Single(q => q.Connector == FailingConnector.Name && q.Direction == TaskDirection.Outgoing);
        Assert.Equal((Tasks, 0L), (queue.Pending, queue.Skipped));
        var entry = (await host.Management.ListAuditAsync(new AuditQuery(), Token))[0];
        Assert.Equal(("admin", ManagementActions.RetryTasks, (long)Tasks), (entry.Actor, entry.Action, entry.Count));
    }
}
