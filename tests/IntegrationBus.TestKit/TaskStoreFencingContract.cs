using IntegrationBus.Storage;
using Xunit;

namespace IntegrationBus.TestKit;

/// <summary>
/// The facts of fencing and of acknowledgements that race: a stale lease records nothing, and a task acknowledged by
/// several connectors at once goes with the last acknowledgement. Derive from <see cref="TaskStoreContract"/>.
/// </summary>
public abstract class TaskStoreFencingContract : TaskStoreLeaseContract
{
    [Fact]
    public async Task RecordAsync_LeaseTakenOverAfterExpiry_RefusedAndRecordsNothing()
    {
        var crm = Some.Connector();
        var ids = await AppendAsync(Some.Task(crm), Some.Task(crm), Some.Task(crm));
        var stale = await AcquireAsync(crm, "node-a");
        await AdvanceAsync(LeaseDuration);
        var current = await AcquireAsync(crm, "node-b");

        var recorded = await Store.Queue.RecordAsync(
            new RecordRequest { Lease = stale!, Outcomes = [Ok(ids[0]), Error(ids[1], "late", TimeSpan.FromMinutes(1)), Skip(ids[2], "late")], KeepHistory = true }, Ct);

        Assert.False(recorded);
        Assert.Equal(ids.Select(id => (id, SynchronizationStatus.Pending, 0)), (await FetchAllAsync(crm)).Select(t => (t.Id, t.Status, t.Attempts)));
        foreach (var id in ids)
        {
            Assert.Empty(await AttemptsAsync(id));
        }

        Assert.Empty(await Store.Management.ListHistoryAsync(new HistoryQuery(), Ct));
        Assert.True(await Store.Queue.RecordAsync(new RecordRequest { Lease = current!, Outcomes = [Ok(ids[0])] }, Ct));
        Assert.Equal([ids[1], ids[2]], (await FetchAllAsync(crm)).Select(t => t.Id));
    }

    [Fact]
    public async Task RecordAsync_LeaseReleasedAndTakenByAnother_RefusedAndNewOwnerRecords()
    {
        var crm = Some.Connector();
        var id = await AppendOneAsync(Some.Task(crm));
        var stale = await AcquireAsync(crm, "node-a");
        await Store.Leases.ReleaseAsync(stale!, Ct);
        var current = await AcquireAsync(crm, "node-b");

        Assert.False(await Store.Queue.RecordAsync(new RecordRequest { Lease = stale!, Outcomes = [Error(id, "late", TimeSpan.FromMinutes(1), park: true)] }, Ct));

        var task = (await FetchAllAsync(crm)).Single();
        Assert.Equal((SynchronizationStatus.Pending, 0), (task.Status, task.Attempts));
        Assert.Empty(await AttemptsAsync(id));
        Assert.True(await Store.Queue.RecordAsync(new RecordRequest { Lease = current!, Outcomes = [Error(id, "now", TimeSpan.FromMinutes(1))] }, Ct));
        Assert.Equal((SynchronizationStatus.Error, 1), ((await FetchAllAsync(crm)).Single().Status, (await FetchAllAsync(crm)).Single().Attempts));
    }

    [Fact]
    public async Task RecordAsync_LeaseOfOtherQueue_Refused()
    {
        var crm = Some.Connector();
        var id = await AppendOneAsync(Some.Task(crm));
        var incomingLease = await AcquireAsync(crm, "node-a", TaskDirection.Incoming);
        await AcquireAsync(crm, "node-b");

        var forged = incomingLease! with { Queue = Some.Queue(crm) };

        Assert.False(await Store.Queue.RecordAsync(new RecordRequest { Lease = forged, Outcomes = [Ok(id)] }, Ct));
        Assert.Equal([id], (await FetchAllAsync(crm)).Select(t => t.Id));
    }

    [Fact]
    public async Task RecordAsync_ExpiredButNotTakenOver_StillRecords()
    {
        var crm = Some.Connector();
        var id = await AppendOneAsync(Some.Task(crm));
        var lease = await AcquireAsync(crm, "node-a");
        await AdvanceAsync(LeaseDuration + TimeSpan.FromSeconds(1));

        Assert.True(await Store.Queue.RecordAsync(new RecordRequest { Lease = lease!, Outcomes = [Ok(id)] }, Ct));

        Assert.Empty(await FetchAllAsync(crm));
    }

    [Fact]
    public async Task RecordAsync_ConnectorsAcknowledgeConcurrently_LastOneRemovesTaskAndNoneIsLost()
    {
        const int Rounds = 8;
        const int TasksPerRound = 6;
        var connectors = Enumerable.Range(0, 8).Select(_ => Some.Connector()).ToArray();
        var leases = new List<QueueLease>();
        foreach (var connector in connectors)
        {
            leases.Add(await LeaseAsync(connector));
        }

        var partial = new List<long>();
        var complete = new List<long>();
        for (var round = 0; round < Rounds; round++)
        {
            var ids = await AppendAsync(Enumerable.Range(0, TasksPerRound).Select(_ => Some.Task(connectors)).ToArray());
            // Every connector acknowledges the even tasks; only the first five acknowledge the odd ones.
            complete.AddRange(ids.Where((_, i) => i % 2 == 0));
            partial.AddRange(ids.Where((_, i) => i % 2 == 1));
            var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var acknowledgements = leases.Select((lease, k) => Task.Run(async () =>
            {
                var outcomes = ids.Where((_, i) => i % 2 == 0 || k < 5).Select(Ok).ToArray();
                await start.Task;
                return await Store.Queue.RecordAsync(new RecordRequest { Lease = lease, Outcomes = outcomes }, Ct);
            }, Ct)).ToArray();
            start.SetResult();
            Assert.All(await Task.WhenAll(acknowledgements), Assert.True);
        }

        foreach (var id in complete)
        {
            Assert.Null(await Store.Management.GetTaskAsync(id, Ct));
        }

        foreach (var connector in connectors)
        {
            List<long> expected = Array.IndexOf(connectors, connector) < 5 ? [] : partial;
            Assert.Equal(expected, (await FetchAllAsync(connector)).Select(t => t.Id));
        }

        Assert.Equal(partial.Count * 3, await Store.Management.CountTasksAsync(new TaskQuery(), Ct));
        foreach (var id in partial)
        {
            var detail = await Store.Management.GetTaskAsync(id, Ct);
            Assert.Equal(connectors[5..].Order(StringComparer.Ordinal), detail!.Synchronizations.Select(s => s.Connector));
        }
    }

    [Fact]
    public async Task RecordAsync_SameTaskAcknowledgedByEveryConnectorInOneRace_RemovesItEveryTime()
    {
        var connectors = Enumerable.Range(0, 8).Select(_ => Some.Connector()).ToArray();
        var leases = new List<QueueLease>();
        foreach (var connector in connectors)
        {
            leases.Add(await LeaseAsync(connector));
        }

        for (var i = 0; i < 20; i++)
        {
            var id = await AppendOneAsync(Some.Task(connectors));
            await RecordAsync(connectors[0], Error(id, "first try", TimeSpan.Zero));
            var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var acknowledgements = leases.Select(lease => Task.Run(async () =>
            {
                await start.Task;
                return await Store.Queue.RecordAsync(new RecordRequest { Lease = lease, Outcomes = [Ok(id)] }, Ct);
            }, Ct)).ToArray();
            start.SetResult();
            Assert.All(await Task.WhenAll(acknowledgements), Assert.True);

            Assert.Null(await Store.Management.GetTaskAsync(id, Ct));
            Assert.Empty(await AttemptsAsync(id));
        }

        Assert.Equal(0, await Store.Management.CountTasksAsync(new TaskQuery(), Ct));
        Assert.All(await Store.Management.GetQueuesAsync(Ct), q => Assert.Equal((0, 0, 0, 0), (q.Pending, q.Errors, q.Skipped, q.Failed)));
    }

    [Fact]
    public async Task RecordAsync_SingleQueueTasksUnderStaleLease_RefusedAndRecordsNothing()
    {
        var crm = Some.Connector();
        var ids = await AppendAsync(Some.Task(crm), Some.Task(crm));
        var stale = await AcquireAsync(crm, "node-a");
        await AdvanceAsync(LeaseDuration);
        await AcquireAsync(crm, "node-b");

        var recorded = await Store.Queue.RecordAsync(
            new RecordRequest { Lease = stale!, Outcomes = [Ok(ids[0]), Error(ids[1], "late", TimeSpan.FromMinutes(1))], KeepHistory = true, SingleQueueTasks = true }, Ct);

        Assert.False(recorded);
        Assert.Equal(ids.Select(id => (id, SynchronizationStatus.Pending, 0)), (await FetchAllAsync(crm)).Select(t => (t.Id, t.Status, t.Attempts)));
        Assert.Empty(await AttemptsAsync(ids[1]));
        Assert.Empty(await Store.Management.ListHistoryAsync(new HistoryQuery(), Ct));
    }

    [Fact]
    public async Task RecordAsync_SingleQueueTasksAcknowledged_RemovesTasksAttemptsAndKeepsHistory()
    {
        var crm = Some.Connector();
        var ids = await AppendAsync(Some.Task(crm), Some.Task(crm), Some.Task(crm));
        await RecordAsync(crm, Error(ids[0], "once", TimeSpan.Zero));
        // An operator's retry starts the count anew; the attempt log stays until the task goes.
        await RecordAsync(crm, Error(ids[1], "parked", TimeSpan.Zero, park: true));
        Assert.Equal(1, await Store.Management.RetryAsync(ids[1], null, Ct));
        var fetched = await FetchAllAsync(crm);
        Assert.All(fetched, t => Assert.True(t.SynchronizationCount is 0 or 1));

        var lease = await LeaseAsync(crm);
        var outcomes = fetched.Select(t => Ok(t.Id)).ToArray();
        Assert.True(await Store.Queue.RecordAsync(new RecordRequest { Lease = lease, Outcomes = outcomes, KeepHistory = true, SingleQueueTasks = true }, Ct));

        Assert.Empty(await FetchAllAsync(crm));
        foreach (var id in ids)
        {
            Assert.Null(await Store.Management.GetTaskAsync(id, Ct));
            Assert.Empty(await AttemptsAsync(id));
        }

        Assert.Equal(ids, (await Store.Management.ListHistoryAsync(new HistoryQuery(), Ct)).Select(h => h.Task.Id).Order());
        Assert.Equal(0, await Store.Management.CountTasksAsync(new TaskQuery(), Ct));
    }
}
