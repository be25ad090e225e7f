using IntegrationBus.Management;
using IntegrationBus.Storage;
using IntegrationBus.Tests.Support;

namespace IntegrationBus.Tests.Management;

/// <summary>The one management service, against the real store.</summary>
public sealed class IntegrationBusManagementTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static RecordingConnector Crm(string name = "crm") => new(name, s => s.Objects("cms.user", SubscriptionMode.AsyncSimple));

    private static async Task LogUsersAsync(TestBus bus, int from, int count)
    {
        await using var scope = bus.Bus.BeginScope();
        for (var i = from; i < from + count; i++)
        {
            await scope.LogChangeAsync(SampleTypes.NewUser(i, $"user{i}"), TaskType.CreateObject, Token);
        }

        await scope.CompleteAsync(Token);
    }

    [Fact]
    public async Task GetQueuesAsync_ErrorsAndEmptyQueues_EveryRegisteredQueueWithCountsLagAndLeaseHolder()
    {
        var crm = Crm();
        crm.Behaviour = task => task.Object.CodeName == "user1" ? TaskResult.Error("down") : TaskResult.Ok;
        await using var bus = await TestBus.StartAsync([crm, Crm("erp")]);
        // Both connectors get the users: erp drains its copies while crm's first one fails, so wait for both runners.
        var waiting = bus.NextRunnerWaitAsync("crm");
        var erpWaiting = bus.NextRunnerIdleAsync("erp");
        await LogUsersAsync(bus, 1, 3);
        await Task.WhenAll(waiting, erpWaiting);
        bus.Time.Advance(TimeSpan.FromMilliseconds(500));

        var queues = await bus.Management.GetQueuesAsync(Token);

        Assert.Equal(
            [("crm", TaskDirection.Outgoing), ("crm", TaskDirection.Incoming), ("erp", TaskDirection.Outgoing), ("erp", TaskDirection.Incoming)],
            queues.Select(q => (q.Connector, q.Direction)));
        var outgoing = queues[0];
        Assert.Equal((2L, 1L, 0L, 0L, 3L), (outgoing.Pending, outgoing.Errors, outgoing.Skipped, outgoing.Failed, outgoing.Depth));
        Assert.Equal(TimeSpan.FromMilliseconds(500), outgoing.Lag);
        Assert.NotNull(outgoing.LeaseOwner);
        Assert.NotNull(outgoing.LeaseAcquiredAt);
        Assert.True(outgoing.Enabled && outgoing.Registered);
        Assert.Equal(0, queues[2].Depth);
        Assert.Null(queues[2].Lag);
    }

    [Fact]
    public async Task ListTasksAsync_PagesWithNextPosition_EveryRowOnceInOrder()
    {
        await using var bus = await TestBus.StartAsync([Crm(), Crm("erp")], start: false);
        await LogUsersAsync(bus, 1, 7);

        var rows = new List<TaskSummary>();
        TaskPosition? after = null;
        var pages = 0;
        do
        {
            var page = await bus.Management.ListTasksAsync(new TaskQuery { After = after, Limit = 3 }, Token);
            rows.AddRange(page.Items);
            after = page.Next;
            pages++;
        }
        while (after is not null);

        Assert.Equal(14, rows.Count);
        Assert.Equal(14, rows.Select(r => r.Position).Distinct().Count());
        Assert.Equal(rows.OrderBy(r => r.Task.Id).ThenBy(r => r.Connector, StringComparer.Ordinal).Select(r => r.Position), rows.Select(r => r.Position));
        Assert.Equal(5, pages);
        Assert.Equal(14, await bus.Management.CountTasksAsync(new TaskQuery(), Token));
        Assert.Equal(1, await bus.Management.CountTasksAsync(new TaskQuery { Connector = "erp", Text = "user3" }, Token));
    }

    [Fact]
    public async Task ListTasksAsync_PageSizeOutOfRange_ThrowsNamingTheLimit()
    {
        await using var bus = await TestBus.StartAsync([Crm()], start: false);
        var exception = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => bus.Management.ListTasksAsync(new TaskQuery { Limit = 5_000 }, Token));
        Assert.Contains("between 1 and 1000", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetTaskAsync_FailedTask_DetailWithObjectAndAttemptLog()
    {
        var crm = Crm();
        crm.Behaviour = _ => TaskResult.Error("CRM refused");
        await using var bus = await TestBus.StartAsync([crm]);
        var waiting = bus.NextRunnerWaitAsync("crm");
        await LogUsersAsync(bus, 1, 1);
        await waiting;
        var id = Assert.Single(await bus.ListAsync("crm")).TaskId;

        var task = await bus.Management.GetTaskAsync(id, Token);

        Assert.NotNull(task);
        Assert.Equal("user1", task.Snapshot!.Object.CodeName);
        Assert.Null(task.PayloadError);
        Assert.Contains("\"user1\"", task.Detail.Payload, StringComparison.Ordinal);
        var state = Assert.Single(task.Detail.Synchronizations);
        Assert.Equal(("crm", SynchronizationStatus.Error, "CRM refused"), (state.Connector, state.Status, state.LastError));
        Assert.Equal("CRM refused", Assert.Single(task.Attempts).Message);
        Assert.Null(await bus.Management.GetTaskAsync(id + 1_000, Token));
    }

    [Fact]
    public async Task RetryTaskAsync_ParkedTask_PendingAgainDeliveredAndAudited()
    {
        var crm = Crm();
        var refuse = true;
        crm.Behaviour = _ => refuse ? TaskResult.Error("rejected") : TaskResult.Ok;
        await using var bus = await TestBus.StartAsync([crm], connectorOptions: o => o.MaxAttempts = 1);
        var idle = bus.NextRunnerIdleAsync("crm");
        await LogUsersAsync(bus, 1, 1);
        await idle;
        var parked = Assert.Single(await bus.ListAsync("crm"));
        Assert.Equal(SynchronizationStatus.Failed, parked.Status);

        refuse = false;
        Assert.Equal(1, await bus.Management.RetryTaskAsync(parked.TaskId, actor: "ops@example.com", cancellationToken: Token));
        await crm.WaitForCallsAsync(2);

        var audit = Assert.Single(await bus.Management.ListAuditAsync(new AuditQuery(), Token));
        Assert.Equal(("ops@example.com", ManagementActions.RetryTask, 1L), (audit.Actor, audit.Action, audit.Count));
        Assert.Contains(parked.TaskId.ToString(System.Globalization.CultureInfo.InvariantCulture), audit.Target, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeleteTaskAsync_ErrorBlockingTheQueue_QueueGoesOn()
    {
        var crm = Crm();
        crm.Behaviour = task => task.Object.CodeName == "user1" ? TaskResult.Error("poison") : TaskResult.Ok;
        await using var bus = await TestBus.StartAsync([crm]);
        var waiting = bus.NextRunnerWaitAsync("crm");
        await LogUsersAsync(bus, 1, 3);
        await waiting;
        var head = (await bus.ListAsync("crm"))[0];

        var idle = bus.NextRunnerIdleAsync("crm");
        Assert.Equal(1, await bus.Management.DeleteTaskAsync(head.TaskId, "crm", "ops", Token));
        await idle;

        Assert.Empty(await bus.ListAsync("crm"));
        Assert.Equal(["user1", "user2", "user3"], crm.Calls.Select(c => c.Object.CodeName));
        Assert.Equal(ManagementActions.DeleteTask, Assert.Single(await bus.Management.ListAuditAsync(new AuditQuery(), Token)).Action);
    }

    [Fact]
    public async Task RetryTasksAsync_ManyParkedTasks_AllRetriedInBatchesInOrderAndAudited()
    {
        var crm = Crm();
        var refuse = true;
        crm.Behaviour = _ => refuse ? TaskResult.Error("down") : TaskResult.Ok;
        await using var bus = await TestBus.StartAsync([crm], connectorOptions: o => o.MaxAttempts = 1, start: false);
        await LogUsersAsync(bus, 1, 1_200);
        var idle = bus.NextRunnerIdleAsync("crm");
        await bus.StartHostAsync();
        await idle;
        var filter = new TaskQuery { Connector = "crm", Status = SynchronizationStatus.Failed };
        Assert.Equal(1_200, await bus.Management.CountTasksAsync(filter, Token));

        refuse = false;
        var calls = crm.Calls.Count;
        var result = await bus.Management.RetryTasksAsync(filter, "ops", Token);
        await crm.WaitForCallsAsync(calls + 1_200);

        Assert.Equal(1_200, result.Count);
        Assert.True(result.Batches >= 3, $"{result.Batches} batches");
        Assert.Equal(Enumerable.Range(1, 1_200).Select(i => $"user{i}"), crm.Calls.Skip(calls).Select(c => c.Object.CodeName));
        var audit = Assert.Single(await bus.Management.ListAuditAsync(new AuditQuery(), Token));
        Assert.Equal((ManagementActions.RetryTasks, 1_200L), (audit.Action, audit.Count));
        Assert.Contains("status=Failed", audit.Target, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeleteTasksAsync_ByObjectTypeFilter_DeletesOnlyMatchesForThatConnector()
    {
        await using var bus = await TestBus.StartAsync([Crm(), Crm("erp")], start: false);
        await LogUsersAsync(bus, 1, 600);

        var result = await bus.Management.DeleteTasksAsync(new TaskQuery { Connector = "crm", ObjectType = "cms.user" }, cancellationToken: Token);

        Assert.Equal(600, result.Count);
        Assert.Empty(await bus.ListAsync("crm"));
        Assert.Equal(600, await bus.Management.CountTasksAsync(new TaskQuery { Connector = "erp" }, Token));
    }

    [Fact]
    public async Task SetConnectorEnabledAsync_UnknownConnector_ThrowsNamingIt()
    {
        await using var bus = await TestBus.StartAsync([Crm()], start: false);
        var exception = await Assert.ThrowsAsync<ArgumentException>(() => bus.Management.SetConnectorEnabledAsync("nope", false, cancellationToken: Token));
        Assert.Contains("'nope'", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UpdateSettingsAsync_RetentionAndHistory_StoredAppliedAndAudited()
    {
        await using var bus = await TestBus.StartAsync([Crm()], start: false);
        var settings = BusSettings.Default with { HistoryEnabled = true, AttemptLogRetention = TimeSpan.FromDays(3), FailedTaskRetention = TimeSpan.FromDays(60), AuditRetention = null };

        await bus.Management.UpdateSettingsAsync(settings, "ops", Token);

        Assert.Equal(settings, await bus.Management.GetSettingsAsync(Token));
        Assert.Equal(ManagementActions.UpdateSettings, Assert.Single(await bus.Management.ListAuditAsync(new AuditQuery(), Token)).Action);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => bus.Management.UpdateSettingsAsync(settings with { HistoryRetention = TimeSpan.Zero }, cancellationToken: Token));
    }

    [Fact]
    public async Task ListHistoryAsync_HistoryOn_DeliveredTasksWithPayloadNewestFirst()
    {
        var crm = Crm();
        await using var bus = await TestBus.StartAsync([crm]);
        await bus.Management.UpdateSettingsAsync(BusSettings.Default with { HistoryEnabled = true }, cancellationToken: Token);

        // The settings change wakes the runner too, and that pass may go idle before the users are logged: wait for the
        // idle that follows both deliveries (a pass records its results before it goes idle).
        var idle = bus.Signals.NextRunnerWaitAsync("crm", TaskDirection.Outgoing, _ => crm.Calls.Count >= 2);
        await LogUsersAsync(bus, 1, 2);
        await idle;

        var history = await bus.Management.ListHistoryAsync(new HistoryQuery { Connector = "crm" }, Token);

        Assert.Equal([2L, 1], history.Select(h => h.Task.ObjectId!.Value));
        Assert.All(history, h => Assert.Contains("user", h.Payload, StringComparison.Ordinal));
    }

    [Fact]
    public async Task PurgeAsync_AttemptsOlderThanRetention_RemovedAndAudited()
    {
        var crm = Crm();
        crm.Behaviour = _ => TaskResult.Error("down");
        await using var bus = await TestBus.StartAsync([crm]);
        var waiting = bus.NextRunnerWaitAsync("crm");
        await LogUsersAsync(bus, 1, 1);
        await waiting;
        await bus.StopHostAsync();
        var id = Assert.Single(await bus.ListAsync("crm")).TaskId;
        Assert.Single(await bus.Store.Management.GetAttemptsAsync(id, Token));

        bus.Time.Advance(TimeSpan.FromDays(31));
        var purged = await bus.Management.PurgeAsync("ops", Token);

        Assert.Equal(1, purged.Attempts);
        Assert.Empty(await bus.Store.Management.GetAttemptsAsync(id, Token));
        Assert.Single(await bus.ListAsync("crm"));
        Assert.Equal(ManagementActions.Purge, Assert.Single(await bus.Management.ListAuditAsync(new AuditQuery(), Token)).Action);
    }

    [Fact]
    public async Task RetentionSchedule_IntervalPasses_PurgeRunsWithoutAnOperator()
    {
        var crm = Crm();
        crm.Behaviour = _ => TaskResult.ErrorAndSkip("later");
        await using var bus = await TestBus.StartAsync([crm], b => b.Configure(o => o.RetentionInterval = TimeSpan.FromDays(1)), start: false);
        await bus.Management.UpdateSettingsAsync(BusSettings.Default with { AttemptLogRetention = TimeSpan.FromHours(1) }, cancellationToken: Token);
        await bus.StartHostAsync();
        await LogUsersAsync(bus, 1, 1);
        var id = Assert.Single(await bus.ListAsync("crm")).TaskId;

        // The runner may also go idle from a pass that began before the task was logged (woken by the settings change):
        // wait for idles until the one after its attempt, each armed before looking.
        IReadOnlyList<AttemptRecord> attempts;
        while (true)
        {
            var idle = bus.NextRunnerIdleAsync("crm");
            attempts = await bus.Store.Management.GetAttemptsAsync(id, Token);
            if (attempts.Count > 0)
            {
                break;
            }

            await idle;
        }

        var first = Assert.Single(attempts).AttemptedAt;

        var applied = bus.Signals.NextAsync(IntegrationBus.Diagnostics.EventIds.RetentionApplied, _ => true);
        bus.Time.Advance(TimeSpan.FromDays(1));
        await applied;

        Assert.DoesNotContain(await bus.Store.Management.GetAttemptsAsync(id, Token), a => a.AttemptedAt == first);
        Assert.DoesNotContain(await bus.Management.ListAuditAsync(new AuditQuery(), Token), a => a.Action == ManagementActions.Purge);
    }
}
