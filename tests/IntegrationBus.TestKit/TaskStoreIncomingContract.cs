using IntegrationBus.Storage;
using Xunit;

namespace IntegrationBus.TestKit;

/// <summary>The incoming-append facts of the <see cref="TaskStoreContract"/>: idempotency keys, their window, order, discard.</summary>
public abstract class TaskStoreIncomingContract : TaskStoreWebhookContract
{
    [Fact]
    public async Task AppendIncomingAsync_Batch_KeepsOrderAndAnswersRepeatsWithTheFirstTask()
    {
        var crm = Some.Connector();
        var window = Time.GetUtcNow().AddHours(-1);
        var first = Some.IncomingTask(crm, IncomingPolicy.Default, crm);
        var results = await Store.Queue.AppendIncomingAsync(
            [
                new IncomingAppend(first, "key-1", window),
                new IncomingAppend(Some.IncomingTask(crm, IncomingPolicy.Default, crm), null, window),
                new IncomingAppend(Some.IncomingTask(crm, IncomingPolicy.Default, crm), "key-1", window),
                new IncomingAppend(Some.IncomingTask(crm, IncomingPolicy.SkipOnError, crm), "key-2", window),
            ],
            Ct);

        Assert.Equal([false, false, true, false], results.Select(r => r.Repeated));
        Assert.Equal(results[0].TaskId, results[2].TaskId);
        Assert.Equal(first.Guid, results[2].TaskGuid);
        var queued = await FetchAllAsync(crm, TaskDirection.Incoming);
        Assert.Equal([results[0].TaskId, results[1].TaskId, results[3].TaskId], queued.Select(q => q.Id));
        Assert.True(results[0].TaskId < results[1].TaskId && results[1].TaskId < results[3].TaskId);
        Assert.Equal(IncomingPolicy.SkipOnError, queued[2].Policy);
        Assert.Equal(crm, queued[0].OriginConnector);
    }

    [Fact]
    public async Task AppendIncomingAsync_KeyOutsideWindow_AppendsAgain()
    {
        var crm = Some.Connector();
        var first = (await Store.Queue.AppendIncomingAsync([new IncomingAppend(Some.IncomingTask(crm, IncomingPolicy.Default, crm), "k", Time.GetUtcNow().AddHours(-1))], Ct))[0];

        var later = Some.IncomingTask(crm, IncomingPolicy.Default, crm) with { CreatedAt = Some.Epoch.AddDays(2) };
        var second = (await Store.Queue.AppendIncomingAsync([new IncomingAppend(later, "k", Some.Epoch.AddDays(1))], Ct))[0];

        Assert.False(second.Repeated);
        Assert.NotEqual(first.TaskId, second.TaskId);
        Assert.Equal(2, (await FetchAllAsync(crm, TaskDirection.Incoming)).Count);
    }

    [Fact]
    public async Task AppendIncomingAsync_SameKeyOtherConnector_IsNotARepeat()
    {
        var crm = Some.Connector();
        var erp = Some.Connector();
        var window = Time.GetUtcNow().AddHours(-1);

        var results = await Store.Queue.AppendIncomingAsync(
            [new IncomingAppend(Some.IncomingTask(crm, IncomingPolicy.Default, crm), "k", window), new IncomingAppend(Some.IncomingTask(erp, IncomingPolicy.Default, erp), "k", window)],
            Ct);

        Assert.All(results, r => Assert.False(r.Repeated));
    }

    [Fact]
    public async Task AppendIncomingAsync_KeyOfProcessedTask_StillAnsweredWithinWindow()
    {
        var crm = Some.Connector();
        var window = Time.GetUtcNow().AddHours(-1);
        var first = (await Store.Queue.AppendIncomingAsync([new IncomingAppend(Some.IncomingTask(crm, IncomingPolicy.Default, crm), "k", window)], Ct))[0];
        await RecordAsync(crm, TaskDirection.Incoming, Ok(first.TaskId));

        var again = (await Store.Queue.AppendIncomingAsync([new IncomingAppend(Some.IncomingTask(crm, IncomingPolicy.Default, crm), "k", window)], Ct))[0];

        Assert.True(again.Repeated);
        Assert.Equal(first.TaskId, again.TaskId);
        Assert.Empty(await FetchAllAsync(crm, TaskDirection.Incoming));
    }

    [Fact]
    public async Task RecordAsync_DiscardedError_RemovesTaskLikeOk()
    {
        var crm = Some.Connector();
        var id = (await Store.Queue.AppendIncomingAsync([new IncomingAppend(Some.IncomingTask(crm, IncomingPolicy.DeleteOnError, crm), null, Time.GetUtcNow())], Ct))[0].TaskId;

        await RecordAsync(crm, TaskDirection.Incoming, new TaskOutcome { TaskId = id, Result = TaskResultKind.Error, Message = "bad", AttemptedAt = Time.GetUtcNow(), Discard = true });

        Assert.Empty(await FetchAllAsync(crm, TaskDirection.Incoming));
        Assert.Null(await PayloadAsync(id));
        Assert.Empty(await AttemptsAsync(id));
    }

    [Fact]
    public async Task RetryAsync_ParkedTask_ResetsAttemptsSoMaxAttemptsStartsAgain()
    {
        var crm = Some.Connector();
        var id = await AppendOneAsync(Some.Task(crm));
        await RecordAsync(crm, Error(id, "down", TimeSpan.FromSeconds(1), park: true));

        Assert.Equal(1, await Store.Management.RetryAsync(id, crm, Ct));

        var summary = (await SummaryAsync(id, crm)).Synchronization;
        Assert.Equal((SynchronizationStatus.Pending, 0), (summary.Status, summary.Attempts));
    }
}
