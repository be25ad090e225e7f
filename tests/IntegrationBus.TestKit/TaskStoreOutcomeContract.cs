using IntegrationBus.Storage;
using Xunit;

namespace IntegrationBus.TestKit;

/// <summary>The facts of recording failures: errors, skips, parking, the attempt log and retry times. Derive from <see cref="TaskStoreContract"/>.</summary>
public abstract class TaskStoreOutcomeContract : TaskStoreQueueContract
{
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
        Assert.Equal(("CRM refused the contact", attemptedAt), (summary.Synchronization.LastError, summary.Synchronization.LastRunAt));
        Assert.Equal(
            [new AttemptRecord { TaskId = ids[0], Connector = crm, Direction = TaskDirection.Outgoing, AttemptedAt = attemptedAt, Result = TaskResultKind.Error, Message = "CRM refused the contact" }],
            await AttemptsAsync(ids[0]));
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
        Assert.Equal(["first", "second"], (await AttemptsAsync(id)).Select(a => a.Message));
        Assert.Equal("second", (await SummaryAsync(id, crm)).Synchronization.LastError);
    }

    [Fact]
    public async Task FetchAsync_ErrorNotDueYet_IsStillFetchedForTheRunnerToDecide()
    {
        var crm = Some.Connector();
        var ids = await AppendAsync(Some.Task(crm), Some.Task(crm));

        await RecordAsync(crm, Error(ids[0], "down", TimeSpan.FromHours(1)));

        Assert.Equal(ids, (await FetchAllAsync(crm)).Select(t => t.Id));
    }

    [Fact]
    public async Task RecordAsync_ErrorAndSkipDueAtOnce_MarksSkippedAndStillFetched()
    {
        var crm = Some.Connector();
        var ids = await AppendAsync(Some.Task(crm), Some.Task(crm));

        await RecordAsync(crm, Skip(ids[0], "not yet"));

        var fetched = await FetchAllAsync(crm);
        Assert.Equal(ids, fetched.Select(t => t.Id));
        Assert.Equal((SynchronizationStatus.Skipped, 1, (DateTimeOffset?)null), (fetched[0].Status, fetched[0].Attempts, fetched[0].NextAttemptAt));
        Assert.Equal(TaskResultKind.ErrorAndSkip, (await AttemptsAsync(ids[0])).Single().Result);
    }

    [Fact]
    public async Task FetchAsync_ErrorAndSkipWithLaterRetry_IsLeftOutUntilDue()
    {
        var crm = Some.Connector();
        var ids = await AppendAsync(Some.Task(crm), Some.Task(crm));
        await RecordAsync(crm, Skip(ids[0], "later", TimeSpan.FromMinutes(5)));

        Assert.Equal([ids[1]], (await FetchAllAsync(crm)).Select(t => t.Id));
        Time.Advance(TimeSpan.FromMinutes(5) - TimeSpan.FromMilliseconds(1));
        Assert.Equal([ids[1]], (await FetchAllAsync(crm)).Select(t => t.Id));

        Time.Advance(TimeSpan.FromMilliseconds(1));

        var fetched = await FetchAllAsync(crm);
        Assert.Equal(ids, fetched.Select(t => t.Id));
        Assert.Equal((SynchronizationStatus.Skipped, Some.Epoch.AddMinutes(5)), (fetched[0].Status, fetched[0].NextAttemptAt));
    }

    [Fact]
    public async Task RecordAsync_SkipNow_RecordsNothing()
    {
        var crm = Some.Connector();
        var id = await AppendOneAsync(Some.Task(crm));

        await RecordAsync(crm, new TaskOutcome { TaskId = id, Result = TaskResultKind.SkipNow, Message = "ignored", AttemptedAt = Time.GetUtcNow() });

        var task = (await FetchAllAsync(crm)).Single();
        Assert.Equal((SynchronizationStatus.Pending, 0, (DateTimeOffset?)null), (task.Status, task.Attempts, task.NextAttemptAt));
        Assert.Empty(await AttemptsAsync(id));
        Assert.Null((await SummaryAsync(id, crm)).Synchronization.LastRunAt);
    }

    [Fact]
    public async Task RecordAsync_Park_MarksFailedAndNoLongerFetched()
    {
        var crm = Some.Connector();
        var ids = await AppendAsync(Some.Task(crm), Some.Task(crm));

        await RecordAsync(crm, Error(ids[0], "poison", TimeSpan.FromMinutes(1), park: true));

        Assert.Equal([ids[1]], (await FetchAllAsync(crm)).Select(t => t.Id));
        var summary = (await SummaryAsync(ids[0], crm)).Synchronization;
        Assert.Equal((SynchronizationStatus.Failed, 1, "poison"), (summary.Status, summary.Attempts, summary.LastError));
        Assert.Single(await AttemptsAsync(ids[0]));
    }

    [Fact]
    public async Task FetchAsync_ParkedSkipOrError_NeverFetchedEvenWhenDue()
    {
        var crm = Some.Connector();
        var ids = await AppendAsync(Some.Task(crm), Some.Task(crm));
        await RecordAsync(crm, TaskDirection.Outgoing, Skip(ids[0], "poison") with { Park = true }, Error(ids[1], "poison", TimeSpan.Zero, park: true));

        Time.Advance(TimeSpan.FromDays(30));

        Assert.Empty(await FetchAllAsync(crm));
        Assert.Equal(2, await Store.Management.CountTasksAsync(new TaskQuery { Connector = crm, Status = SynchronizationStatus.Failed }, Ct));
    }

    [Fact]
    public async Task GetAttemptsAsync_ErrorsWithDetails_RoundTripDetailsAndDirection()
    {
        var crm = Some.Connector();
        var erp = Some.Connector();
        var id = await AppendOneAsync(Some.IncomingTask(erp, IncomingPolicy.Default, crm));
        const string details = "System.TimeoutException: The CRM did not answer.\n   at Crm.Client.SendAsync()\n   at Bus.RunAsync()";
        var first = Time.GetUtcNow();

        await RecordAsync(crm, TaskDirection.Incoming, Error(id, "timeout", TimeSpan.FromSeconds(1)) with { Details = details });
        Time.Advance(TimeSpan.FromSeconds(1));
        await RecordAsync(crm, TaskDirection.Incoming, Skip(id, "still down"));

        Assert.Equal(
            [
                new AttemptRecord { TaskId = id, Connector = crm, Direction = TaskDirection.Incoming, AttemptedAt = first, Result = TaskResultKind.Error, Message = "timeout", Details = details },
                new AttemptRecord { TaskId = id, Connector = crm, Direction = TaskDirection.Incoming, AttemptedAt = first.AddSeconds(1), Result = TaskResultKind.ErrorAndSkip, Message = "still down" },
            ],
            await AttemptsAsync(id));
    }

    [Fact]
    public async Task RecordAsync_ErrorForTaskNotInQueue_RecordsNothing()
    {
        var crm = Some.Connector();
        var erp = Some.Connector();
        var id = await AppendOneAsync(Some.Task(erp));

        await RecordAsync(crm, Error(id, "not mine", TimeSpan.FromMinutes(1)));

        Assert.Empty(await AttemptsAsync(id));
        Assert.Equal((SynchronizationStatus.Pending, 0), ((await FetchAllAsync(erp)).Single().Status, (await FetchAllAsync(erp)).Single().Attempts));
    }

    [Fact]
    public async Task GetAttemptsAsync_UnknownTask_ReturnsEmpty()
        => Assert.Empty(await AttemptsAsync(long.MaxValue));

    [Fact]
    public async Task RecordAsync_OkForRunsAndScatteredTasksAmongOtherQueues_RemovesExactlyThoseAcknowledged()
    {
        var crm = Some.Connector();
        var erp = Some.Connector();
        // Tasks 0-29: every third only for the ERP, the others for the CRM, every fifth for both.
        var ids = await AppendAsync(Enumerable.Range(0, 30)
            .Select(i => i % 3 == 0 ? Some.Task(erp) : i % 5 == 0 ? Some.Task(crm, erp) : Some.Task(crm)).ToArray());
        var crmIds = ids.Where((_, i) => i % 3 != 0).ToList();

        // One batch of consecutive runs and single tasks, then one with more scattered tasks than a handful of runs.
        await RecordAsync(crm, TaskDirection.Outgoing, [.. crmIds.Take(6).Select(Ok)]);
        await RecordAsync(crm, TaskDirection.Outgoing, [.. crmIds.Skip(6).Where((_, i) => i % 2 == 0).Select(Ok)]);

        var acknowledged = crmIds.Take(6).Concat(crmIds.Skip(6).Where((_, i) => i % 2 == 0)).ToHashSet();
        Assert.Equal(crmIds.Where(id => !acknowledged.Contains(id)), (await FetchAllAsync(crm)).Select(t => t.Id));
        Assert.Equal(ids.Where((_, i) => i % 3 == 0 || i % 5 == 0), (await FetchAllAsync(erp)).Select(t => t.Id));
        foreach (var id in acknowledged)
        {
            var task = await Store.Management.GetTaskAsync(id, Ct);
            var both = ids.ToList().IndexOf(id) % 5 == 0;
            Assert.Equal(both, task is not null);
        }
    }
}
