using IntegrationBus.Storage;
using Xunit;

namespace IntegrationBus.TestKit;

/// <summary>The facts of what operators see: queue overviews, task details and task lists with their filters. Derive from <see cref="TaskStoreContract"/>.</summary>
public abstract class TaskStoreManagementContract : TaskStoreConfigurationContract
{
    [Fact]
    public async Task GetQueuesAsync_MixedStatuses_CountsPerQueue()
    {
        var crm = Some.Connector();
        var erp = Some.Connector();
        var ids = await AppendAsync(
            Some.Task(Some.Epoch.AddMinutes(1), crm), Some.Task(Some.Epoch.AddMinutes(2), crm, erp), Some.Task(Some.Epoch.AddMinutes(3), crm), Some.Task(Some.Epoch.AddMinutes(4), crm));
        await AppendOneAsync(Some.IncomingTask(erp, IncomingPolicy.Default, crm) with { CreatedAt = Some.Epoch.AddMinutes(5) });
        await RecordAsync(crm, TaskDirection.Outgoing,
            Error(ids[0], "e", TimeSpan.FromMinutes(1)),
            Skip(ids[1], "s"),
            Error(ids[2], "f", TimeSpan.FromMinutes(1), park: true));

        var queues = await Store.Management.GetQueuesAsync(Ct);

        Assert.Equal(3, queues.Count);
        Assert.Contains(queues, q => q with { LeaseOwner = null, LeaseAcquiredAt = null, LeaseExpiresAt = null }
            == new QueueSummary { Queue = Some.Queue(crm), Pending = 1, Errors = 1, Skipped = 1, Failed = 1, OldestCreatedAt = Some.Epoch.AddMinutes(1) });
        Assert.Contains(new QueueSummary { Queue = Some.Queue(crm, TaskDirection.Incoming), Pending = 1, OldestCreatedAt = Some.Epoch.AddMinutes(5) }, queues);
        Assert.Contains(new QueueSummary { Queue = Some.Queue(erp), Pending = 1, OldestCreatedAt = Some.Epoch.AddMinutes(2) }, queues);
        Assert.Equal(queues.OrderBy(q => q.Connector, StringComparer.Ordinal).ThenBy(q => q.Direction), queues);
    }

    [Fact]
    public async Task GetQueuesAsync_OldestTask_IgnoresParkedTasks()
    {
        var crm = Some.Connector();
        var ids = await AppendAsync(Some.Task(Some.Epoch.AddMinutes(1), crm), Some.Task(Some.Epoch.AddMinutes(2), crm));
        await RecordAsync(crm, Error(ids[0], "poison", TimeSpan.Zero, park: true));

        var queue = Assert.Single(await Store.Management.GetQueuesAsync(Ct));

        Assert.Equal((1, 1, 1, Some.Epoch.AddMinutes(2)), (queue.Pending, queue.Failed, queue.Depth, queue.OldestCreatedAt));
    }

    [Fact]
    public async Task GetQueuesAsync_LeaseRows_ShowHolderAndListQueuesWithoutTasks()
    {
        var crm = Some.Connector();
        var erp = Some.Connector();
        var held = await AcquireAsync(crm, "node-a");
        var released = await AcquireAsync(erp, "node-b", TaskDirection.Incoming);
        await Store.Leases.ReleaseAsync(released!, Ct);

        var queues = await Store.Management.GetQueuesAsync(Ct);

        var crmQueue = Assert.Single(queues, q => q.Queue == Some.Queue(crm));
        Assert.Equal(("node-a", held!.AcquiredAt, held.ExpiresAt, 0L, (DateTimeOffset?)null), (crmQueue.LeaseOwner, crmQueue.LeaseAcquiredAt, crmQueue.LeaseExpiresAt, crmQueue.Depth, crmQueue.OldestCreatedAt));
        var erpQueue = Assert.Single(queues, q => q.Queue == Some.Queue(erp, TaskDirection.Incoming));
        Assert.Null(erpQueue.LeaseOwner);
        Assert.Equal(2, queues.Count);
    }

    [Fact]
    public async Task GetTaskAsync_TaskForSeveralConnectors_ReturnsEveryFieldAndStatesByConnectorName()
    {
        var first = Some.Connector(1);
        var second = Some.Connector(2);
        var third = Some.Connector(3);
        var task = Some.Task(Time.GetUtcNow(), third, first, second);
        var id = await AppendOneAsync(task);
        await RecordAsync(second, Error(id, "down", TimeSpan.FromMinutes(5)));

        var detail = await Store.Management.GetTaskAsync(id, Ct);

        Assert.NotNull(detail);
        Assert.Equal(Info(id, task), detail.Task);
        Assert.Equal((task.Payload, task.TraceParent, task.TraceState), (detail.Payload, detail.TraceParent, detail.TraceState));
        Assert.Equal(
            [
                new SynchronizationState { Connector = first, Direction = TaskDirection.Outgoing, Status = SynchronizationStatus.Pending },
                new SynchronizationState
                {
                    Connector = second, Direction = TaskDirection.Outgoing, Status = SynchronizationStatus.Error, Attempts = 1, LastError = "down",
                    LastRunAt = Time.GetUtcNow(), NextAttemptAt = Time.GetUtcNow().AddMinutes(5),
                },
                new SynchronizationState { Connector = third, Direction = TaskDirection.Outgoing, Status = SynchronizationStatus.Pending },
            ],
            detail.Synchronizations);
    }

    [Fact]
    public async Task ListTasksAsync_Task_ShowsItsFields()
    {
        var crm = Some.Connector();
        var task = Some.Task(crm);
        var id = await AppendOneAsync(task);

        var row = await SummaryAsync(id, crm);

        Assert.Equal(
            new TaskSummary { Task = Info(id, task), Synchronization = new SynchronizationState { Connector = crm, Direction = task.Direction, Status = SynchronizationStatus.Pending } },
            row);
    }

    [Fact]
    public async Task ListTasksAsync_Filters_AreCombined()
    {
        var crm = Some.Connector();
        var erp = Some.Connector();
        var contact = Some.ObjectType();
        var ids = await AppendAsync(
            Some.Task(crm, erp) with { ObjectType = contact }, Some.Task(crm, erp) with { ObjectType = contact }, Some.Task(crm, erp));
        await AppendOneAsync(Some.IncomingTask(erp, IncomingPolicy.Default, crm) with { ObjectType = contact });
        await RecordAsync(crm, Error(ids[1], "e", TimeSpan.FromMinutes(1)));
        await RecordAsync(crm, Error(ids[2], "e", TimeSpan.FromMinutes(1)));
        var query = new TaskQuery { Connector = crm, Direction = TaskDirection.Outgoing, Status = SynchronizationStatus.Error, ObjectType = contact };

        var rows = await Store.Management.ListTasksAsync(query, Ct);

        var row = Assert.Single(rows);
        Assert.Equal((ids[1], crm, TaskDirection.Outgoing, SynchronizationStatus.Error, contact), (row.Task.Id, row.Synchronization.Connector, row.Synchronization.Direction, row.Synchronization.Status, row.Task.ObjectType));
        Assert.Equal(1, await Store.Management.CountTasksAsync(query, Ct));
        Assert.Equal(2, await Store.Management.CountTasksAsync(new TaskQuery { Connector = crm, Status = SynchronizationStatus.Error }, Ct));
        Assert.Equal(3, await Store.Management.CountTasksAsync(new TaskQuery { Connector = erp, Direction = TaskDirection.Outgoing }, Ct));
        Assert.Equal(7, await Store.Management.CountTasksAsync(new TaskQuery(), Ct));
        Assert.Equal(0, await Store.Management.CountTasksAsync(new TaskQuery { Connector = Some.Connector() }, Ct));
        Assert.Empty(await Store.Management.ListTasksAsync(new TaskQuery { Connector = Some.Connector() }, Ct));
    }

    [Fact]
    public async Task ListTasksAsync_AfterAndLimit_PagesInTaskIdOrder()
    {
        var crm = Some.Connector();
        var ids = await AppendAsync(Enumerable.Range(0, 5).Select(_ => Some.Task(crm)).ToArray());

        var first = await Store.Management.ListTasksAsync(new TaskQuery { Connector = crm, Limit = 2 }, Ct);
        var second = await Store.Management.ListTasksAsync(new TaskQuery { Connector = crm, After = first[^1].Position, Limit = 2 }, Ct);
        var third = await Store.Management.ListTasksAsync(new TaskQuery { Connector = crm, After = second[^1].Position, Limit = 2 }, Ct);

        Assert.Equal(ids, first.Concat(second).Concat(third).Select(r => r.Task.Id));
        Assert.Equal(5, await Store.Management.CountTasksAsync(new TaskQuery { Connector = crm, After = new TaskPosition(ids[3], crm, TaskDirection.Outgoing), Limit = 1 }, Ct));
    }

    [Fact]
    public async Task ListTasksAsync_StatusTaskTypeAndCreatedRange_EachSelectsItsRows()
    {
        var crm = Some.Connector();
        var ids = await AppendAsync(
            Some.Task(Some.Epoch.AddHours(1), crm),
            Some.Task(Some.Epoch.AddHours(2), crm) with { TaskType = TaskType.DeleteObject },
            Some.Task(Some.Epoch.AddHours(3), crm),
            Some.Task(Some.Epoch.AddHours(4), crm) with { TaskType = TaskType.DeleteObject });
        await RecordAsync(crm, TaskDirection.Outgoing, Skip(ids[0], "s"), Error(ids[3], "e", TimeSpan.FromMinutes(1), park: true));

        Assert.Equal([ids[1], ids[2]], await IdsAsync(new TaskQuery { Status = SynchronizationStatus.Pending }));
        Assert.Equal([ids[0]], await IdsAsync(new TaskQuery { Status = SynchronizationStatus.Skipped }));
        Assert.Equal([ids[3]], await IdsAsync(new TaskQuery { Connector = crm, Status = SynchronizationStatus.Failed }));
        Assert.Equal([ids[1], ids[3]], await IdsAsync(new TaskQuery { TaskType = TaskType.DeleteObject }));
        Assert.Equal([ids[1], ids[2]], await IdsAsync(new TaskQuery { CreatedFrom = Some.Epoch.AddHours(2), CreatedBefore = Some.Epoch.AddHours(4) }));
        Assert.Equal([ids[3]], await IdsAsync(new TaskQuery { Connector = crm, CreatedFrom = Some.Epoch.AddHours(4) }));
        Assert.Equal([ids[0]], await IdsAsync(new TaskQuery { CreatedBefore = Some.Epoch.AddHours(2) }));
        Assert.Equal(2, await Store.Management.CountTasksAsync(new TaskQuery { CreatedFrom = Some.Epoch.AddHours(2), CreatedBefore = Some.Epoch.AddHours(4) }, Ct));
    }

    [Fact]
    public async Task ListTasksAsync_TextGuid_MatchesTaskGuidOrObjectGuid()
    {
        var crm = Some.Connector();
        var byTask = Some.Task(crm);
        var byObject = Some.Task(crm);
        var ids = await AppendAsync(byTask, byObject, Some.Task(crm));

        Assert.Equal([ids[0]], await IdsAsync(new TaskQuery { Text = byTask.Guid.ToString() }));
        Assert.Equal([ids[1]], await IdsAsync(new TaskQuery { Connector = crm, Text = byObject.ObjectGuid!.Value.ToString("D").ToUpperInvariant() }));
        Assert.Equal([ids[1]], await IdsAsync(new TaskQuery { Text = byObject.ObjectGuid!.Value.ToString("B") }));
        Assert.Empty(await IdsAsync(new TaskQuery { Text = Guid.NewGuid().ToString() }));
        Assert.Equal(1, await Store.Management.CountTasksAsync(new TaskQuery { Text = byTask.Guid.ToString() }, Ct));
    }

    [Fact]
    public async Task ListTasksAsync_TextPrefix_MatchesCodeOrDisplayNameIgnoringAsciiCase()
    {
        var crm = Some.Connector();
        var prefix = Some.Name("ab");
        var ids = await AppendAsync(
            Some.Task(crm) with { ObjectCodeName = prefix + "-contact", ObjectDisplayName = "Jane" },
            Some.Task(crm) with { ObjectCodeName = "other", ObjectDisplayName = prefix.ToUpperInvariant() + " Smith" },
            Some.Task(crm) with { ObjectCodeName = "x-" + prefix, ObjectDisplayName = "not at the start " + prefix },
            Some.Task(crm) with { ObjectCodeName = null, ObjectDisplayName = null });

        Assert.Equal([ids[0], ids[1]], await IdsAsync(new TaskQuery { Text = prefix }));
        Assert.Equal([ids[0], ids[1]], await IdsAsync(new TaskQuery { Connector = crm, Text = prefix.ToUpperInvariant() }));
        Assert.Equal([ids[0]], await IdsAsync(new TaskQuery { Text = prefix + "-CON" }));
        Assert.Equal(2, await Store.Management.CountTasksAsync(new TaskQuery { Text = prefix }, Ct));
    }

    [Fact]
    public async Task ListTasksAsync_TextWithLikeWildcards_MatchesThemLiterally()
    {
        var crm = Some.Connector();
        var prefix = Some.Name("w");
        var ids = await AppendAsync(
            Some.Task(crm) with { ObjectCodeName = prefix + "50%_off\\now" },
            Some.Task(crm) with { ObjectCodeName = prefix + "50xyoff\\now" },
            Some.Task(crm) with { ObjectCodeName = prefix + "50%Xoff" });

        Assert.Equal([ids[0]], await IdsAsync(new TaskQuery { Text = prefix + "50%_" }));
        Assert.Equal([ids[0], ids[2]], await IdsAsync(new TaskQuery { Text = prefix + "50%" }));
        Assert.Equal([ids[0]], await IdsAsync(new TaskQuery { Text = prefix + "50%_off\\" }));
        Assert.Empty(await IdsAsync(new TaskQuery { Text = prefix + "_" }));
    }

    /// <summary>The description of an appended task, as management shows it.</summary>
    protected static IntegrationTaskInfo Info(long id, NewIntegrationTask task) => new()
    {
        Id = id, Guid = task.Guid, Direction = task.Direction, TaskType = task.TaskType, DataType = task.DataType, ObjectType = task.ObjectType,
        ObjectId = task.ObjectId, ObjectGuid = task.ObjectGuid, ObjectCodeName = task.ObjectCodeName, ObjectDisplayName = task.ObjectDisplayName,
        Site = task.Site, CreatedAt = task.CreatedAt, OriginConnector = task.OriginConnector, Policy = task.Policy,
    };

    /// <summary>Lists every row a query matches (up to 1,000) and returns their task IDs.</summary>
    protected async Task<IReadOnlyList<long>> IdsAsync(TaskQuery query)
        => [.. (await Store.Management.ListTasksAsync(query with { Limit = 1000 }, Ct)).Select(r => r.Task.Id)];
}
