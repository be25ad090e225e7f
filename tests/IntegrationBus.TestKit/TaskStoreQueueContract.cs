using IntegrationBus.Connectors;
using IntegrationBus.Model;
using IntegrationBus.Storage;
using Xunit;

namespace IntegrationBus.TestKit;

/// <summary>The queue facts of the store contract: append, fetch and record. Derive from <see cref="TaskStoreContract"/>.</summary>
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

        Assert.Equal(
            [new QueuedTask(ids[0], outgoing.Guid, outgoing.Direction, outgoing.TaskType, outgoing.DataType, outgoing.ObjectType, outgoing.ObjectId,
                outgoing.Site, outgoing.Payload, outgoing.CreatedAt, null, IncomingPolicy.Default, SynchronizationStatus.Pending, 0, null)],
            await FetchAllAsync(crm));
        Assert.Equal(
            [new QueuedTask(ids[1], incoming.Guid, TaskDirection.Incoming, incoming.TaskType, incoming.DataType, incoming.ObjectType, null,
                null, incoming.Payload, incoming.CreatedAt, incoming.OriginConnector, IncomingPolicy.SkipOnError, SynchronizationStatus.Pending, 0, null)],
            await FetchAllAsync(crm, TaskDirection.Incoming));
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

        var first = await Store.FetchAsync(crm, TaskDirection.Outgoing, 0, 3, Ct);
        var second = await Store.FetchAsync(crm, TaskDirection.Outgoing, first[^1].Id, 3, Ct);
        var third = await Store.FetchAsync(crm, TaskDirection.Outgoing, second[^1].Id, 3, Ct);
        var past = await Store.FetchAsync(crm, TaskDirection.Outgoing, ids[^1], 3, Ct);

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
            () => Store.AppendAsync(Enumerable.Range(0, 25).Select(_ => Some.Task(crm)).ToArray(), null, Ct), Ct)));

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
        Assert.Null(await Store.GetPayloadAsync(ids[0], Ct));
        Assert.NotNull(await Store.GetPayloadAsync(ids[1], Ct));
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
        Assert.NotNull(await Store.GetPayloadAsync(id, Ct));

        await RecordAsync(erp, Ok(id));

        Assert.Empty(await FetchAllAsync(erp));
        Assert.Null(await Store.GetPayloadAsync(id, Ct));
    }

    [Fact]
    public async Task RecordAsync_Error_RecordsAttemptAndKeepsOrder()
    {
        var crm = Some.Connector();
        var ids = await AppendAsync(Some.Task(crm), Some.Task(crm));
        var attemptedAt = Time.GetUtcNow();

        await RecordAsync(crm, Error(ids[0], "CRM refused the contact", TimeSpan.FromMinutes(1)));

        var fetched = await FetchAllAsync(crm);
        Assert.Equal(ids, fetched.Select(t => t.Id));
        Assert.Equal((SynchronizationStatus.Error, 1, attemptedAt.AddMinutes(1)), (fetched[0].Status, fetched[0].Attempts, fetched[0].NextAttemptAt));
        Assert.Equal((SynchronizationStatus.Pending, 0), (fetched[1].Status, fetched[1].Attempts));
        var summary = await SummaryAsync(ids[0], crm);
        Assert.Equal(("CRM refused the contact", attemptedAt), (summary.LastError, summary.LastRunAt));
        Assert.Equal([new AttemptRecord(ids[0], crm, attemptedAt, TaskResultKind.Error, "CRM refused the contact")], await Store.GetAttemptsAsync(ids[0], Ct));
    }

    [Fact]
    public async Task RecordAsync_ErrorTwice_CountsAttemptsAndLogsBothOldestFirst()
    {
        var crm = Some.Connector();
        var id = await AppendOneAsync(Some.Task(crm));

        await RecordAsync(crm, Error(id, "first", TimeSpan.FromMinutes(1)));
        Time.Advance(TimeSpan.FromMinutes(1));
        await RecordAsync(crm, Error(id, "second", TimeSpan.FromMinutes(2)));

        var task = (await FetchAllAsync(crm)).Single();
        Assert.Equal((2, Time.GetUtcNow().AddMinutes(2)), (task.Attempts, task.NextAttemptAt));
        Assert.Equal(["first", "second"], (await Store.GetAttemptsAsync(id, Ct)).Select(a => a.Message));
        Assert.Equal("second", (await SummaryAsync(id, crm)).LastError);
    }

    [Fact]
    public async Task RecordAsync_ErrorAndSkip_MarksSkippedAndStillFetched()
    {
        var crm = Some.Connector();
        var ids = await AppendAsync(Some.Task(crm), Some.Task(crm));

        await RecordAsync(crm, new TaskOutcome(ids[0], TaskResultKind.ErrorAndSkip, "not yet", Time.GetUtcNow(), Time.GetUtcNow().AddHours(1)));

        var fetched = await FetchAllAsync(crm);
        Assert.Equal(ids, fetched.Select(t => t.Id));
        Assert.Equal((SynchronizationStatus.Skipped, 1, (DateTimeOffset?)null), (fetched[0].Status, fetched[0].Attempts, fetched[0].NextAttemptAt));
        Assert.Equal(TaskResultKind.ErrorAndSkip, (await Store.GetAttemptsAsync(ids[0], Ct)).Single().Result);
    }

    [Fact]
    public async Task RecordAsync_SkipNow_RecordsNothing()
    {
        var crm = Some.Connector();
        var id = await AppendOneAsync(Some.Task(crm));

        await RecordAsync(crm, new TaskOutcome(id, TaskResultKind.SkipNow, "ignored", Time.GetUtcNow()));

        var task = (await FetchAllAsync(crm)).Single();
        Assert.Equal((SynchronizationStatus.Pending, 0, (DateTimeOffset?)null), (task.Status, task.Attempts, task.NextAttemptAt));
        Assert.Empty(await Store.GetAttemptsAsync(id, Ct));
        Assert.Null((await SummaryAsync(id, crm)).LastRunAt);
    }

    [Fact]
    public async Task RecordAsync_Park_MarksFailedAndNoLongerFetched()
    {
        var crm = Some.Connector();
        var ids = await AppendAsync(Some.Task(crm), Some.Task(crm));

        await RecordAsync(crm, Error(ids[0], "poison", TimeSpan.FromMinutes(1), park: true));

        Assert.Equal([ids[1]], (await FetchAllAsync(crm)).Select(t => t.Id));
        var summary = await SummaryAsync(ids[0], crm);
        Assert.Equal((SynchronizationStatus.Failed, 1, "poison"), (summary.Status, summary.Attempts, summary.LastError));
        Assert.Single(await Store.GetAttemptsAsync(ids[0], Ct));
    }

    [Fact]
    public async Task RecordAsync_MixedBatch_AppliesEachOutcome()
    {
        var crm = Some.Connector();
        var ids = await AppendAsync(Some.Task(crm), Some.Task(crm), Some.Task(crm), Some.Task(crm));
        var now = Time.GetUtcNow();

        await Store.RecordAsync(crm, TaskDirection.Outgoing,
        [
            Ok(ids[0]),
            new TaskOutcome(ids[1], TaskResultKind.SkipNow, null, now),
            new TaskOutcome(ids[2], TaskResultKind.ErrorAndSkip, "skip", now),
            Error(ids[3], "stop", TimeSpan.FromSeconds(30)),
        ], Ct);

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
        Assert.Empty(await Store.GetAttemptsAsync(id, Ct));
    }

    [Fact]
    public async Task RecordAsync_OtherDirection_LeavesQueueAlone()
    {
        var crm = Some.Connector();
        var id = await AppendOneAsync(Some.Task(crm));

        await RecordAsync(crm, Ok(id), TaskDirection.Incoming);

        Assert.Equal([id], (await FetchAllAsync(crm)).Select(t => t.Id));
    }

    [Fact]
    public async Task GetPayloadAsync_UnicodePayload_RoundTripsExactly()
    {
        var crm = Some.Connector();
        const string payload = "{\"v\":1,\"name\":\"Žluťoučký kůň 🐎 — 日本語 \\u0000 \\\"quoted\\\"\",\"tab\":\"\t\",\"nl\":\"\r\n\"}";
        var id = await AppendOneAsync(Some.Task(crm) with { Payload = payload });

        Assert.Equal(payload, await Store.GetPayloadAsync(id, Ct));
        Assert.Equal(payload, (await FetchAllAsync(crm)).Single().Payload);
    }

    [Fact]
    public async Task GetPayloadAsync_UnknownTask_ReturnsNull()
        => Assert.Null(await Store.GetPayloadAsync(long.MaxValue, Ct));
}
