using IntegrationBus.Storage;
using Xunit;

namespace IntegrationBus.TestKit;

/// <summary>The facts of what operators do to one task, the audit log and the history of delivered tasks. Derive from <see cref="TaskStoreContract"/>.</summary>
public abstract class TaskStoreOperatorContract : TaskStorePagingContract
{
    [Fact]
    public async Task RetryAsync_ErroredSkippedAndFailed_BecomePendingDueAtOnce()
    {
        var crm = Some.Connector();
        var erp = Some.Connector();
        var billing = Some.Connector();
        var pending = Some.Connector();
        var id = await AppendOneAsync(Some.Task(crm, erp, billing, pending));
        await RecordAsync(crm, Error(id, "e", TimeSpan.FromHours(1)));
        await RecordAsync(erp, Skip(id, "s", TimeSpan.FromHours(1)));
        await RecordAsync(billing, Error(id, "f", TimeSpan.FromHours(1), park: true));

        Assert.Equal(3, await Store.Management.RetryAsync(id, null, Ct));

        foreach (var connector in new[] { crm, erp, billing, pending })
        {
            var task = (await FetchAllAsync(connector)).Single();
            Assert.Equal((SynchronizationStatus.Pending, 0, (DateTimeOffset?)null), (task.Status, task.Attempts, task.NextAttemptAt));
        }
    }

    [Fact]
    public async Task RetryAsync_OneConnector_LeavesOthersAlone()
    {
        var crm = Some.Connector();
        var erp = Some.Connector();
        var id = await AppendOneAsync(Some.Task(crm, erp));
        await RecordAsync(crm, Error(id, "e", TimeSpan.FromHours(1), park: true));
        await RecordAsync(erp, Error(id, "e", TimeSpan.FromHours(1), park: true));

        Assert.Equal(1, await Store.Management.RetryAsync(id, erp, Ct));

        Assert.Empty(await FetchAllAsync(crm));
        Assert.Equal(SynchronizationStatus.Pending, (await FetchAllAsync(erp)).Single().Status);
    }

    [Fact]
    public async Task RetryAsync_UnknownTask_ReturnsZero()
        => Assert.Equal(0, await Store.Management.RetryAsync(long.MaxValue, null, Ct));

    [Fact]
    public async Task DeleteAsync_AllConnectors_DeletesTaskAndAttempts()
    {
        var crm = Some.Connector();
        var erp = Some.Connector();
        var ids = await AppendAsync(Some.Task(crm, erp), Some.Task(crm));
        await RecordAsync(crm, Error(ids[0], "e", TimeSpan.FromHours(1)));

        Assert.Equal(2, await Store.Management.DeleteAsync(ids[0], null, Ct));

        Assert.Equal([ids[1]], (await FetchAllAsync(crm)).Select(t => t.Id));
        Assert.Empty(await FetchAllAsync(erp));
        Assert.Null(await PayloadAsync(ids[0]));
        Assert.Empty(await AttemptsAsync(ids[0]));
    }

    [Fact]
    public async Task DeleteAsync_OneConnector_KeepsTaskForOthers()
    {
        var crm = Some.Connector();
        var erp = Some.Connector();
        var id = await AppendOneAsync(Some.Task(crm, erp));
        await RecordAsync(crm, Error(id, "e", TimeSpan.FromHours(1)));

        Assert.Equal(1, await Store.Management.DeleteAsync(id, crm, Ct));

        Assert.Empty(await FetchAllAsync(crm));
        Assert.Equal([id], (await FetchAllAsync(erp)).Select(t => t.Id));
        Assert.NotNull(await PayloadAsync(id));
        Assert.Equal(0, await Store.Management.DeleteAsync(id, crm, Ct));
        Assert.Equal(1, await Store.Management.DeleteAsync(id, erp, Ct));
        Assert.Null(await Store.Management.GetTaskAsync(id, Ct));
        Assert.Empty(await AttemptsAsync(id));
    }

    [Fact]
    public async Task ListAuditAsync_Entries_NewestFirstInPages()
    {
        var entries = new List<AuditEntry>();
        for (var i = 0; i < 5; i++)
        {
            var entry = new AuditEntry { At = Time.GetUtcNow(), Actor = i == 2 ? null : $"user-{i}", Action = "tasks.retry", Target = i == 3 ? null : $"task {i}", Count = i * 10 };
            entries.Add(entry with { Id = await Store.Management.AppendAuditAsync(entry with { Id = 12345 }, Ct) });
            Time.Advance(TimeSpan.FromMinutes(1));
        }

        var first = await Store.Management.ListAuditAsync(new AuditQuery { Limit = 2 }, Ct);
        var second = await Store.Management.ListAuditAsync(new AuditQuery { BeforeId = first[^1].Id, Limit = 2 }, Ct);
        var third = await Store.Management.ListAuditAsync(new AuditQuery { BeforeId = second[^1].Id, Limit = 2 }, Ct);

        Assert.True(entries.Zip(entries.Skip(1)).All(pair => pair.First.Id < pair.Second.Id), "Newer entries have higher IDs.");
        Assert.Equal(Enumerable.Reverse(entries), first.Concat(second).Concat(third));
        Assert.Empty(await Store.Management.ListAuditAsync(new AuditQuery { BeforeId = entries[0].Id }, Ct));
    }

    [Fact]
    public async Task RecordAsync_OkWithKeepHistory_CopiesTaskToHistory()
    {
        var crm = Some.Connector();
        var erp = Some.Connector();
        var task = Some.Task(crm, erp);
        var id = await AppendOneAsync(task);
        await RecordAsync(crm, Error(id, "once", TimeSpan.FromSeconds(1)));
        Time.Advance(TimeSpan.FromMinutes(1));
        var deliveredAt = Time.GetUtcNow();

        Assert.True(await Store.Queue.RecordAsync(new RecordRequest { Lease = await LeaseAsync(crm), Outcomes = [Ok(id)], KeepHistory = true }, Ct));

        var delivered = Assert.Single(await Store.Management.ListHistoryAsync(new HistoryQuery(), Ct));
        Assert.Equal(
            new DeliveredTask { Id = delivered.Id, Task = TaskStoreManagementContract.Info(id, task), Connector = crm, DeliveredAt = deliveredAt, Attempts = 1, Payload = task.Payload },
            delivered);
        Assert.Equal([id], (await FetchAllAsync(erp)).Select(t => t.Id));
    }

    [Fact]
    public async Task RecordAsync_DiscardOrHistoryOff_NotCopiedToHistory()
    {
        var crm = Some.Connector();
        var ids = await AppendAsync(Some.Task(crm), Some.Task(crm), Some.Task(crm));
        var lease = await LeaseAsync(crm);

        Assert.True(await Store.Queue.RecordAsync(new RecordRequest
        {
            Lease = lease,
            Outcomes = [Error(ids[0], "bad", TimeSpan.Zero) with { Discard = true }, Skip(ids[1], "bad") with { Discard = true }],
            KeepHistory = true,
        }, Ct));
        Assert.True(await Store.Queue.RecordAsync(new RecordRequest { Lease = lease, Outcomes = [Ok(ids[2])], KeepHistory = false }, Ct));

        Assert.Empty(await FetchAllAsync(crm));
        Assert.Empty(await Store.Management.ListHistoryAsync(new HistoryQuery(), Ct));
    }

    [Fact]
    public async Task ListHistoryAsync_Filters_NewestFirstInPages()
    {
        var crm = Some.Connector();
        var erp = Some.Connector();
        var contact = Some.ObjectType();
        var delivered = new List<(string Connector, long TaskId)>();
        for (var i = 0; i < 6; i++)
        {
            var task = i % 3 == 0 ? Some.IncomingTask(erp, IncomingPolicy.Default, crm) : Some.Task(crm, erp) with { ObjectType = i % 2 == 0 ? contact : "test.contact" };
            var id = await AppendOneAsync(task);
            foreach (var connector in task.Connectors)
            {
                Assert.True(await Store.Queue.RecordAsync(new RecordRequest { Lease = await LeaseAsync(connector, task.Direction), Outcomes = [Ok(id)], KeepHistory = true }, Ct));
                delivered.Add((connector, id));
                Time.Advance(TimeSpan.FromSeconds(1));
            }
        }

        var all = await Store.Management.ListHistoryAsync(new HistoryQuery(), Ct);
        Assert.Equal(Enumerable.Reverse(delivered), all.Select(h => (h.Connector, h.Task.Id)));
        Assert.True(all.Zip(all.Skip(1)).All(pair => pair.First.Id > pair.Second.Id && pair.First.DeliveredAt > pair.Second.DeliveredAt));

        var erpPages = new List<DeliveredTask>();
        var query = new HistoryQuery { Connector = erp, Limit = 2 };
        for (var page = await Store.Management.ListHistoryAsync(query, Ct); page.Count > 0; page = await Store.Management.ListHistoryAsync(query with { BeforeId = page[^1].Id }, Ct))
        {
            erpPages.AddRange(page);
        }

        Assert.Equal(all.Where(h => h.Connector == erp), erpPages);
        Assert.Equal(all.Where(h => h.Task.Direction == TaskDirection.Incoming), await Store.Management.ListHistoryAsync(new HistoryQuery { Direction = TaskDirection.Incoming }, Ct));
        Assert.Equal(all.Where(h => h.Task.ObjectType == contact && h.Connector == crm), await Store.Management.ListHistoryAsync(new HistoryQuery { Connector = crm, ObjectType = contact }, Ct));
        Assert.Empty(await Store.Management.ListHistoryAsync(new HistoryQuery { Connector = Some.Connector() }, Ct));
    }
}
