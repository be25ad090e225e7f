using IntegrationBus.Storage;
using Xunit;

namespace IntegrationBus.TestKit;

/// <summary>The queue facts of the store contract: append, fetch and acknowledge. Derive from <see cref="TaskStoreContract"/>.</summary>
public abstract class TaskStoreQueueContract : TaskStoreContractBase
{
    [Fact]
    public async Task AppendAsync_Batch_ReturnsAscendingIdsInOrder()
    {
        var crm = Some.Connector();
        var ids = await AppendAsync(Some.Task(crm), Some.Task(crm), Some.Task(crm));
        var more = await AppendAsync(Some.Task(crm));

        Assert.Equal(3, ids.Count);
        Assert.True(ids[0] < ids[1] && ids[1] < ids[2] && ids[2] < more[0], $"IDs {string.Join(", ", ids)}, then {more[0]}");
    }

    [Fact]
    public async Task AppendAsync_EmptyBatch_ReturnsNoIds()
        => Assert.Empty(await AppendAsync());

    [Fact]
    public async Task AppendAsync_AfterLastTaskDeleted_NeverReusesId()
    {
        var crm = Some.Connector();
        var first = await AppendOneAsync(Some.Task(crm));
        await RecordAsync(crm, Ok(first));

        var second = await AppendOneAsync(Some.Task(crm));

        Assert.True(second > first, $"The ID {first} of a deleted task was followed by {second}.");
    }

    [Fact]
    public async Task FetchAsync_TasksAppended_ReturnsEveryField()
    {
        var crm = Some.Connector();
        var outgoing = Some.Task(Time.GetUtcNow(), crm);
        var incoming = Some.IncomingTask(Some.Connector(), IncomingPolicy.SkipOnError, crm);
        var ids = await AppendAsync(outgoing, incoming);
        // A store may say how many queues a task went to (1 each here), or not (0).
        var fetchedOutgoing = await FetchAllAsync(crm);
        var fetchedIncoming = await FetchAllAsync(crm, TaskDirection.Incoming);
        Assert.All(fetchedOutgoing.Concat(fetchedIncoming), t => Assert.True(t.SynchronizationCount is 0 or 1, $"Task {t.Id} has {t.SynchronizationCount} queues."));

        Assert.Equal(
            [new QueuedTask
            {
                Id = ids[0], Guid = outgoing.Guid, Direction = outgoing.Direction, TaskType = outgoing.TaskType, DataType = outgoing.DataType,
                ObjectType = outgoing.ObjectType, ObjectId = outgoing.ObjectId, ObjectGuid = outgoing.ObjectGuid, Site = outgoing.Site,
                Payload = outgoing.Payload, CreatedAt = outgoing.CreatedAt, OriginConnector = null, Policy = IncomingPolicy.Default,
                Status = SynchronizationStatus.Pending, Attempts = 0, NextAttemptAt = null, TraceParent = outgoing.TraceParent, TraceState = outgoing.TraceState,
            }],
            fetchedOutgoing.Select(t => t with { SynchronizationCount = 0 }));
        Assert.Equal(
            [new QueuedTask
            {
                Id = ids[1], Guid = incoming.Guid, Direction = TaskDirection.Incoming, TaskType = incoming.TaskType, DataType = incoming.DataType,
                ObjectType = incoming.ObjectType, ObjectId = null, ObjectGuid = null, Site = null, Payload = incoming.Payload, CreatedAt = incoming.CreatedAt,
                OriginConnector = incoming.OriginConnector, Policy = IncomingPolicy.SkipOnError, Status = SynchronizationStatus.Pending, Attempts = 0,
            }],
            fetchedIncoming.Select(t => t with { SynchronizationCount = 0 }));
    }

    [Fact]
    public async Task FetchAsync_OrderingKeysPerConnector_EachQueueReadsItsOwnKey()
    {
        var crm = Some.Connector();
        var erp = Some.Connector();
        var keyed = Some.Task(crm, erp) with { OrderingKeys = ["contact-1", null] };
        var plain = Some.Task(crm, erp);

        await AppendAsync(keyed, plain);

        Assert.Equal(["contact-1", null], (await FetchAllAsync(crm)).Select(t => t.OrderingKey));
        Assert.Equal([null, null], (await FetchAllAsync(erp)).Select(t => t.OrderingKey));
    }

    [Fact]
    public async Task AppendAsync_RunsOfLikeAndMixedTasks_EveryQueueGetsExactlyItsTasksInOrder()
    {
        var crm = Some.Connector();
        var erp = Some.Connector();
        var tasks = new List<NewIntegrationTask>();
        tasks.AddRange(Enumerable.Range(0, 10).Select(_ => Some.Task(crm, erp)));
        tasks.Add(Some.Task(crm));
        tasks.AddRange(Enumerable.Range(0, 5).Select(i => Some.Task(crm) with { OrderingKeys = [$"k{i % 2}"] }));
        tasks.AddRange(Enumerable.Range(0, 6).Select(_ => Some.IncomingTask(Some.Connector(), IncomingPolicy.Default, erp)));
        tasks.AddRange(Enumerable.Range(0, 7).Select(_ => Some.Task(erp)));

        var ids = await AppendAsync([.. tasks]);

        Assert.Equal(ids.Take(16), (await FetchAllAsync(crm)).Select(t => t.Id));
        Assert.Equal(ids.Take(10).Concat(ids.Skip(22)), (await FetchAllAsync(erp)).Select(t => t.Id));
        Assert.Equal(ids.Skip(16).Take(6), (await FetchAllAsync(erp, TaskDirection.Incoming)).Select(t => t.Id));
        Assert.Equal([.. Enumerable.Repeat<string?>(null, 11), "k0", "k1", "k0", "k1", "k0"], (await FetchAllAsync(crm)).Select(t => t.OrderingKey));
    }

    [Fact]
    public async Task AppendAsync_OrderingKeysCountDiffersFromConnectors_ThrowsAndWritesNothing()
    {
        var crm = Some.Connector();
        var wrong = Some.Task(crm) with { OrderingKeys = ["a", "b"] };

        var error = await Assert.ThrowsAsync<ArgumentException>(() => AppendAsync(Some.Task(crm), wrong));

        Assert.Contains("2 ordering keys for 1 connectors", error.Message, StringComparison.Ordinal);
        Assert.Empty(await FetchAllAsync(crm));
    }

    [Fact]
    public async Task FetchAsync_InterleavedConnectorsAndDirections_KeepsEachQueueSeparateAndFifo()
    {
        var crm = Some.Connector();
        var erp = Some.Connector();
        var crmIds = new List<long>();
        var erpIds = new List<long>();
        var crmIncomingIds = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            crmIds.Add(await AppendOneAsync(Some.Task(crm)));
            erpIds.Add(await AppendOneAsync(Some.Task(erp)));
            crmIncomingIds.Add(await AppendOneAsync(Some.IncomingTask(erp, IncomingPolicy.Default, crm)));
        }

        Assert.Equal(crmIds, (await FetchAllAsync(crm)).Select(t => t.Id));
        Assert.Equal(erpIds, (await FetchAllAsync(erp)).Select(t => t.Id));
        Assert.Equal(crmIncomingIds, (await FetchAllAsync(crm, TaskDirection.Incoming)).Select(t => t.Id));
        Assert.Empty(await FetchAllAsync(erp, TaskDirection.Incoming));
    }

    [Fact]
    public async Task FetchAsync_AfterTaskIdAndLimit_PagesThroughQueue()
    {
        var crm = Some.Connector();
        var ids = await AppendAsync(Enumerable.Range(0, 7).Select(_ => Some.Task(crm)).ToArray());

        var first = await FetchAsync(crm, TaskDirection.Outgoing, 0, 3);
        var second = await FetchAsync(crm, TaskDirection.Outgoing, first[^1].Id, 3);
        var third = await FetchAsync(crm, TaskDirection.Outgoing, second[^1].Id, 3);
        var past = await FetchAsync(crm, TaskDirection.Outgoing, ids[^1], 3);

        Assert.Equal(ids.Take(3), first.Select(t => t.Id));
        Assert.Equal(ids.Skip(3).Take(3), second.Select(t => t.Id));
        Assert.Equal(ids.Skip(6), third.Select(t => t.Id));
        Assert.Empty(past);
    }

    [Fact]
    public async Task FetchAsync_UnknownConnector_ReturnsEmpty()
    {
        await AppendOneAsync(Some.Task(Some.Connector()));

        Assert.Empty(await FetchAllAsync(Some.Connector()));
    }

    [Fact]
    public async Task FetchAsync_ConcurrentAppends_KeepsEveryTaskInIdOrder()
    {
        var crm = Some.Connector();
        var batches = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(
            () => Store.Queue.AppendAsync(Enumerable.Range(0, 25).Select(_ => Some.Task(crm)).ToArray(), null, Ct), Ct)));

        var fetched = await FetchAllAsync(crm);

        Assert.Equal(batches.SelectMany(b => b).Order(), fetched.Select(t => t.Id));
        Assert.Equal(200, fetched.Select(t => t.Id).Distinct().Count());
    }

    [Fact]
    public async Task RecordAsync_Ok_RemovesTaskAndPayload()
    {
        var crm = Some.Connector();
        var ids = await AppendAsync(Some.Task(crm), Some.Task(crm));

        await RecordAsync(crm, Ok(ids[0]));

        Assert.Equal([ids[1]], (await FetchAllAsync(crm)).Select(t => t.Id));
        Assert.Null(await PayloadAsync(ids[0]));
        Assert.Null(await Store.Management.GetTaskAsync(ids[0], Ct));
        Assert.NotNull(await PayloadAsync(ids[1]));
    }

    [Fact]
    public async Task RecordAsync_OkFromOneOfTwoConnectors_KeepsTaskUntilBothAck()
    {
        var crm = Some.Connector();
        var erp = Some.Connector();
        var id = await AppendOneAsync(Some.Task(crm, erp));

        await RecordAsync(crm, Ok(id));

        Assert.Empty(await FetchAllAsync(crm));
        Assert.Equal([id], (await FetchAllAsync(erp)).Select(t => t.Id));
        Assert.NotNull(await PayloadAsync(id));

        await RecordAsync(erp, Ok(id));

        Assert.Empty(await FetchAllAsync(erp));
        Assert.Null(await PayloadAsync(id));
    }

    [Fact]
    public async Task RecordAsync_MixedBatch_AppliesEachOutcome()
    {
        var crm = Some.Connector();
        var ids = await AppendAsync(Some.Task(crm), Some.Task(crm), Some.Task(crm), Some.Task(crm));
        var now = Time.GetUtcNow();

        await RecordAsync(crm, TaskDirection.Outgoing,
            Ok(ids[0]),
            new TaskOutcome { TaskId = ids[1], Result = TaskResultKind.SkipNow, AttemptedAt = now },
            Skip(ids[2], "skip"),
            Error(ids[3], "stop", TimeSpan.FromSeconds(30)));

        var fetched = await FetchAllAsync(crm);
        Assert.Equal(
            [(ids[1], SynchronizationStatus.Pending), (ids[2], SynchronizationStatus.Skipped), (ids[3], SynchronizationStatus.Error)],
            fetched.Select(t => (t.Id, t.Status)));
    }

    [Fact]
    public async Task RecordAsync_OkAfterErrors_DeletesTaskWithItsAttempts()
    {
        var crm = Some.Connector();
        var id = await AppendOneAsync(Some.Task(crm));
        await RecordAsync(crm, Error(id, "once", TimeSpan.FromSeconds(1)));

        await RecordAsync(crm, Ok(id));

        Assert.Empty(await FetchAllAsync(crm));
        Assert.Empty(await AttemptsAsync(id));
    }

    [Fact]
    public async Task RecordAsync_OtherDirection_LeavesQueueAlone()
    {
        var crm = Some.Connector();
        var id = await AppendOneAsync(Some.Task(crm));

        await RecordAsync(crm, TaskDirection.Incoming, Ok(id));

        Assert.Equal([id], (await FetchAllAsync(crm)).Select(t => t.Id));
    }

    [Fact]
    public async Task RecordAsync_NoOutcomes_ReturnsTrueAndChangesNothing()
    {
        var crm = Some.Connector();
        var id = await AppendOneAsync(Some.Task(crm));

        await RecordAsync(crm, TaskDirection.Outgoing);

        Assert.Equal([(id, SynchronizationStatus.Pending)], (await FetchAllAsync(crm)).Select(t => (t.Id, t.Status)));
    }

    [Fact]
    public async Task GetTaskAsync_UnicodePayload_RoundTripsExactly()
    {
        var crm = Some.Connector();
        const string payload = "{\"v\":1,\"name\":\"Žluťoučký kůň 🐎 — 日本語 \\u0000 \\\"quoted\\\"\",\"tab\":\"\t\",\"nl\":\"\r\n\"}";
        var id = await AppendOneAsync(Some.Task(crm) with { Payload = payload });

        Assert.Equal(payload, await PayloadAsync(id));
        Assert.Equal(payload, (await FetchAllAsync(crm)).Single().Payload);
    }

    [Fact]
    public async Task GetTaskAsync_UnknownTask_ReturnsNull()
        => Assert.Null(await Store.Management.GetTaskAsync(long.MaxValue, Ct));

    [Fact]
    public async Task FetchAsync_PerObjectKeyBehindParkedTask_LeavesOutThatKeysLaterTasksOnly()
    {
        var crm = Some.Connector();
        var ids = await AppendAsync(Keyed(crm, "a"), Keyed(crm, "b"), Keyed(crm, "a"), Keyed(crm, "b"), Keyed(crm, null), Keyed(crm, "a"));
        await RecordAsync(crm, Error(ids[0], "refused", TimeSpan.FromHours(1), park: true));

        Assert.Equal([ids[1], ids[3], ids[4]], (await FetchPerKeyAsync(crm)).Select(t => t.Id));
        Assert.Equal([ids[1], ids[2], ids[3], ids[4], ids[5]], (await FetchAllAsync(crm)).Select(t => t.Id));
    }

    [Fact]
    public async Task FetchAsync_PerObjectParkedTaskInTheMiddle_HoldsOnlyTheTasksAfterIt()
    {
        var crm = Some.Connector();
        var ids = await AppendAsync(Keyed(crm, "a"), Keyed(crm, "a"), Keyed(crm, "a"));
        await RecordAsync(crm, Error(ids[1], "refused", TimeSpan.FromHours(1), park: true));

        Assert.Equal([ids[0]], (await FetchPerKeyAsync(crm)).Select(t => t.Id));
    }

    [Fact]
    public async Task FetchAsync_PerObjectParkedHeadRetriedOrDeleted_KeyFlowsAgain()
    {
        var crm = Some.Connector();
        var ids = await AppendAsync(Keyed(crm, "a"), Keyed(crm, "a"), Keyed(crm, "b"), Keyed(crm, "b"));
        await RecordAsync(crm, TaskDirection.Outgoing, Error(ids[0], "refused", TimeSpan.FromHours(1), park: true), Error(ids[2], "refused", TimeSpan.FromHours(1), park: true));
        Assert.Empty(await FetchPerKeyAsync(crm));

        Assert.Equal(1, await Store.Management.RetryAsync(ids[0], crm, Ct));
        Assert.Equal(1, await Store.Management.DeleteAsync(ids[2], crm, Ct));

        Assert.Equal([ids[0], ids[1], ids[3]], (await FetchPerKeyAsync(crm)).Select(t => t.Id));
    }

    [Fact]
    public async Task FetchAsync_PerObjectSameKeyParkedForAnotherConnector_DoesNotHoldThisOne()
    {
        var crm = Some.Connector();
        var erp = Some.Connector();
        var ids = await AppendAsync(Some.Task(crm, erp) with { OrderingKeys = ["a", "a"] }, Some.Task(crm, erp) with { OrderingKeys = ["a", "a"] });
        await RecordAsync(erp, Error(ids[0], "refused", TimeSpan.FromHours(1), park: true));

        Assert.Equal(ids, (await FetchPerKeyAsync(crm)).Select(t => t.Id));
        Assert.Empty(await FetchPerKeyAsync(erp));
    }

    [Fact]
    public async Task FetchAsync_PerObjectHeadWaitingForRetry_ReturnsHeadAndLaterTasksForTheRunnerToHold()
    {
        var crm = Some.Connector();
        var ids = await AppendAsync(Keyed(crm, "a"), Keyed(crm, "a"));
        await RecordAsync(crm, Error(ids[0], "busy", TimeSpan.FromHours(1)));

        Assert.Equal([(ids[0], SynchronizationStatus.Error, "a"), (ids[1], SynchronizationStatus.Pending, "a")],
            (await FetchPerKeyAsync(crm)).Select(t => (t.Id, t.Status, t.OrderingKey)));
    }

    [Fact]
    public async Task FetchAsync_PerObjectPaging_ReadsAfterThePositionAndUpToTheLimit()
    {
        var crm = Some.Connector();
        var ids = await AppendAsync(Keyed(crm, "a"), Keyed(crm, "b"), Keyed(crm, "c"), Keyed(crm, "d"));

        var page = await Store.Queue.FetchAsync(new FetchRequest { Queue = Some.Queue(crm, TaskDirection.Outgoing), AfterTaskId = ids[0], Limit = 2, Now = Time.GetUtcNow(), Ordering = Ordering.PerObject }, Ct);

        Assert.Equal([ids[1], ids[2]], page.Select(t => t.Id));
    }

    private static NewIntegrationTask Keyed(string connector, string? key) => Some.Task(connector) with { OrderingKeys = [key] };

    private Task<IReadOnlyList<QueuedTask>> FetchPerKeyAsync(string connector) => Store.Queue.FetchAsync(
        new FetchRequest { Queue = Some.Queue(connector, TaskDirection.Outgoing), Limit = 1000, Now = Time.GetUtcNow(), Ordering = Ordering.PerObject }, Ct);
}
