using IntegrationBus.Storage;
using Xunit;

namespace IntegrationBus.TestKit;

/// <summary>
/// The keyset facts: task lists and bulk retries and deletes page by (task ID, connector name, direction), never
/// splitting, skipping or repeating a row. Derive from <see cref="TaskStoreContract"/>.
/// </summary>
public abstract class TaskStorePagingContract : TaskStoreManagementContract
{
    [Fact]
    public async Task ListTasksAsync_KeysetOverSeveralConnectorsAndDirections_ReadsEveryRowOnceInOrder()
    {
        var connectors = new[] { Some.Connector(3), Some.Connector(1), Some.Connector(2) };
        var expected = new List<(long, string, TaskDirection)>();
        for (var i = 0; i < 7; i++)
        {
            var outgoing = await AppendOneAsync(Some.Task(connectors));
            expected.AddRange(connectors.Order(StringComparer.Ordinal).Select(c => (outgoing, c, TaskDirection.Outgoing)));
            var incoming = await AppendOneAsync(Some.IncomingTask(connectors[0], IncomingPolicy.Default, connectors[1], connectors[0]));
            expected.AddRange(new[] { connectors[0], connectors[1] }.Order(StringComparer.Ordinal).Select(c => (incoming, c, TaskDirection.Incoming)));
        }

        foreach (var limit in new[] { 1, 2, 4, 5, 100 })
        {
            Assert.Equal(expected, await ReadAllPagesAsync(new TaskQuery { Limit = limit }));
        }

        Assert.Equal(expected.Where(r => r.Item3 == TaskDirection.Incoming), await ReadAllPagesAsync(new TaskQuery { Direction = TaskDirection.Incoming, Limit = 3 }));
    }

    [Fact]
    public async Task ListTasksAsync_KeysetForOneConnectorInBothDirections_ReadsEveryRowOnceInOrder()
    {
        var crm = Some.Connector();
        var erp = Some.Connector();
        var expected = new List<(long, string, TaskDirection)>();
        for (var i = 0; i < 9; i++)
        {
            var task = i % 3 == 0 ? Some.IncomingTask(erp, IncomingPolicy.Default, crm) : Some.Task(crm, erp);
            expected.Add((await AppendOneAsync(task), crm, task.Direction));
        }

        foreach (var limit in new[] { 1, 2, 4, 100 })
        {
            Assert.Equal(expected, await ReadAllPagesAsync(new TaskQuery { Connector = crm, Limit = limit }));
        }

        var middle = new TaskPosition(expected[4].Item1, "", TaskDirection.Outgoing);
        Assert.Equal(expected.Skip(4), await ReadAllPagesAsync(new TaskQuery { Connector = crm, After = middle, Limit = 2 }));
    }

    [Fact]
    public async Task RetryManyAsync_250ErroredRowsInBatchesOf100_RetriesEachOnceAndKeepsOrder()
    {
        var crm = Some.Connector();
        var erp = Some.Connector();
        var ids = await AppendAsync(Enumerable.Range(0, 300).Select(i => i % 6 == 5 ? Some.Task(crm) : Some.Task(crm, erp)).ToArray());
        var failing = ids.Where((_, i) => i % 6 != 5).ToList();
        await RecordAsync(crm, TaskDirection.Outgoing, [.. failing.Select((id, i) => i % 2 == 0 ? Error(id, "e", TimeSpan.FromHours(1), park: true) : Skip(id, "s", TimeSpan.FromHours(1)))]);
        await RecordAsync(erp, TaskDirection.Outgoing, [.. failing.Take(10).Select(id => Error(id, "other", TimeSpan.FromHours(1)))]);
        var query = new TaskQuery { Connector = crm, Limit = 100 };

        var batches = new List<BulkBatchResult>();
        for (var batch = await Store.Management.RetryManyAsync(query, Ct); batch.Count > 0; batch = await Store.Management.RetryManyAsync(query with { After = batch.Last }, Ct))
        {
            batches.Add(batch);
            Assert.True(batches.Count <= 3, "More batches than rows.");
        }

        Assert.Equal([100, 100, 50], batches.Select(b => b.Count));
        Assert.Equal(
            [new TaskPosition(failing[99], crm, TaskDirection.Outgoing), new TaskPosition(failing[199], crm, TaskDirection.Outgoing), new TaskPosition(failing[249], crm, TaskDirection.Outgoing)],
            batches.Select(b => b.Last!.Value));
        var queue = await FetchAllAsync(crm);
        Assert.Equal(ids, queue.Select(t => t.Id));
        Assert.All(queue, t => Assert.Equal((SynchronizationStatus.Pending, 0, (DateTimeOffset?)null), (t.Status, t.Attempts, t.NextAttemptAt)));
        Assert.Equal(10, await Store.Management.CountTasksAsync(new TaskQuery { Connector = erp, Status = SynchronizationStatus.Error }, Ct));
        Assert.Equal(0, (await Store.Management.RetryManyAsync(query, Ct)).Count);
    }

    [Fact]
    public async Task RetryManyAsync_NothingToRetry_ReturnsZeroWithoutPosition()
    {
        var crm = Some.Connector();
        await AppendAsync(Some.Task(crm), Some.Task(crm));

        var batch = await Store.Management.RetryManyAsync(new TaskQuery { Connector = crm }, Ct);

        Assert.Equal(new BulkBatchResult { Count = 0, Last = null }, batch);
        Assert.Equal(new BulkBatchResult { Count = 0 }, await Store.Management.RetryManyAsync(new TaskQuery { Connector = Some.Connector() }, Ct));
    }

    [Fact]
    public async Task DeleteManyAsync_250RowsInBatchesOf100_DeletesEachOnceAndTasksNoLongerNeeded()
    {
        var crm = Some.Connector();
        var erp = Some.Connector();
        var ids = await AppendAsync(Enumerable.Range(0, 250).Select(i => i % 5 == 0 ? Some.Task(crm, erp) : Some.Task(crm)).ToArray());
        var kept = await AppendAsync(Some.Task(erp), Some.IncomingTask(erp, IncomingPolicy.Default, crm));
        await RecordAsync(crm, Error(ids[1], "e", TimeSpan.FromHours(1)));
        var query = new TaskQuery { Connector = crm, Direction = TaskDirection.Outgoing, Limit = 100 };

        var batches = new List<BulkBatchResult>();
        for (var batch = await Store.Management.DeleteManyAsync(query, Ct); batch.Count > 0; batch = await Store.Management.DeleteManyAsync(query with { After = batch.Last }, Ct))
        {
            batches.Add(batch);
            Assert.True(batches.Count <= 3, "More batches than rows.");
        }

        Assert.Equal([100, 100, 50], batches.Select(b => b.Count));
        Assert.Equal([ids[99], ids[199], ids[249]], batches.Select(b => b.Last!.Value.TaskId));
        Assert.Empty(await FetchAllAsync(crm));
        Assert.Equal([kept[1]], (await FetchAllAsync(crm, TaskDirection.Incoming)).Select(t => t.Id));
        Assert.Equal([.. ids.Where((_, i) => i % 5 == 0), kept[0]], (await FetchAllAsync(erp)).Select(t => t.Id));
        Assert.Null(await Store.Management.GetTaskAsync(ids[1], Ct));
        Assert.Empty(await AttemptsAsync(ids[1]));
        Assert.NotNull(await Store.Management.GetTaskAsync(ids[0], Ct));
        Assert.Equal(52, await Store.Management.CountTasksAsync(new TaskQuery(), Ct));
    }

    [Fact]
    public async Task DeleteManyAsync_FilterWithoutConnector_PagesAcrossTheConnectorsOfOneTask()
    {
        var crm = Some.Connector(1);
        var erp = Some.Connector(2);
        var contact = Some.ObjectType();
        var ids = await AppendAsync(Some.Task(crm, erp) with { ObjectType = contact }, Some.Task(crm, erp), Some.Task(crm, erp) with { ObjectType = contact });

        var first = await Store.Management.DeleteManyAsync(new TaskQuery { ObjectType = contact, Limit = 3 }, Ct);
        var second = await Store.Management.DeleteManyAsync(new TaskQuery { ObjectType = contact, After = first.Last, Limit = 3 }, Ct);

        Assert.Equal((3, new TaskPosition(ids[2], crm, TaskDirection.Outgoing)), (first.Count, first.Last));
        Assert.Equal((1, new TaskPosition(ids[2], erp, TaskDirection.Outgoing)), (second.Count, second.Last));
        Assert.Null(await Store.Management.GetTaskAsync(ids[0], Ct));
        Assert.Null(await Store.Management.GetTaskAsync(ids[2], Ct));
        Assert.Equal([ids[1]], (await FetchAllAsync(erp)).Select(t => t.Id));
    }

    private async Task<List<(long, string, TaskDirection)>> ReadAllPagesAsync(TaskQuery query)
    {
        var rows = new List<(long, string, TaskDirection)>();
        for (var page = 0; page < 1000; page++)
        {
            var rowsOfPage = await Store.Management.ListTasksAsync(query, Ct);
            Assert.True(rowsOfPage.Count <= query.Limit, $"A page of {query.Limit} returned {rowsOfPage.Count} rows.");
            rows.AddRange(rowsOfPage.Select(r => (r.Task.Id, r.Synchronization.Connector, r.Synchronization.Direction)));
            if (rowsOfPage.Count < query.Limit)
            {
                return rows;
            }

            query = query with { After = rowsOfPage[^1].Position };
        }

        throw new InvalidOperationException("Paging did not end.");
    }
}
