using IntegrationBus.Storage;
using Xunit;

namespace IntegrationBus.TestKit;

/// <summary>
/// Every <see cref="TaskStore"/> behaviour as a fact. A store's test class derives from this class, implements
/// <see cref="TaskStoreContractBase.CreateStoreAsync"/> and adds provider-only facts; it never overrides these.
/// </summary>
/// <remarks>
/// The facts live in a chain of classes (queue, outcomes, leases, fencing, incoming, configuration, management, paging,
/// operator actions, the ID map, blocked keys, then the retention facts here) only to keep files short. Every <c>now</c> comes from
/// <see cref="TaskStoreContractBase.Time"/>; see <see cref="TaskStoreContractBase"/> for how a store's own clock is handled.
/// </remarks>
public abstract class TaskStoreContract : TaskStoreResyncContract
{
    [Fact]
    public async Task PurgeAsync_OlderThanCutOff_DeletesOldAttemptsAndFailedSynchronizations()
    {
        var crm = Some.Connector();
        var ids = await AppendAsync(Some.Task(crm), Some.Task(crm), Some.Task(crm));
        await RecordAsync(crm, Error(ids[0], "old failure", TimeSpan.FromHours(1), park: true));
        await RecordAsync(crm, Error(ids[1], "old error", TimeSpan.FromHours(1)));
        Time.Advance(TimeSpan.FromDays(10));
        var cutOff = Time.GetUtcNow();
        await RecordAsync(crm, Error(ids[2], "recent failure", TimeSpan.FromHours(1), park: true));
        var cutoffs = new RetentionCutoffs { AttemptsBefore = cutOff, FailedBefore = cutOff };

        var deleted = await Store.Retention.PurgeAsync(cutoffs, Ct);

        Assert.Equal(new PurgeResult { Attempts = 2, FailedSynchronizations = 1 }, deleted);
        Assert.Null(await PayloadAsync(ids[0]));
        Assert.DoesNotContain(await Store.Management.ListTasksAsync(new TaskQuery { Connector = crm }, Ct), r => r.Task.Id == ids[0]);
        var errored = (await SummaryAsync(ids[1], crm)).Synchronization;
        Assert.Equal((SynchronizationStatus.Error, 1), (errored.Status, errored.Attempts));
        Assert.Empty(await AttemptsAsync(ids[1]));
        Assert.Equal(SynchronizationStatus.Failed, (await SummaryAsync(ids[2], crm)).Synchronization.Status);
        Assert.Single(await AttemptsAsync(ids[2]));
        Assert.Equal(0, (await Store.Retention.PurgeAsync(cutoffs, Ct)).Total);
    }

    [Fact]
    public async Task PurgeAsync_OldPendingErroredAndSkippedWork_IsNeverDeleted()
    {
        var crm = Some.Connector();
        var ids = await AppendAsync(Some.Task(Some.Epoch, crm), Some.Task(Some.Epoch, crm), Some.Task(Some.Epoch, crm));
        await RecordAsync(crm, TaskDirection.Outgoing, Error(ids[1], "e", TimeSpan.FromHours(1)), Skip(ids[2], "s"));
        Time.Advance(TimeSpan.FromDays(365));
        var now = Time.GetUtcNow();

        var deleted = await Store.Retention.PurgeAsync(
            new RetentionCutoffs { AttemptsBefore = now, FailedBefore = now, IdempotencyKeysBefore = now, HistoryBefore = now, AuditBefore = now }, Ct);

        Assert.Equal(new PurgeResult { Attempts = 2 }, deleted);
        Assert.Equal(
            [(ids[0], SynchronizationStatus.Pending), (ids[1], SynchronizationStatus.Error), (ids[2], SynchronizationStatus.Skipped)],
            (await FetchAllAsync(crm)).Select(t => (t.Id, t.Status)));
    }

    [Fact]
    public async Task PurgeAsync_FailedTaskStillNeededByAnotherConnector_KeepsTaskForIt()
    {
        var crm = Some.Connector();
        var erp = Some.Connector();
        var id = await AppendOneAsync(Some.Task(crm, erp));
        await RecordAsync(crm, Error(id, "poison", TimeSpan.Zero, park: true));
        Time.Advance(TimeSpan.FromDays(10));

        var deleted = await Store.Retention.PurgeAsync(new RetentionCutoffs { FailedBefore = Time.GetUtcNow() }, Ct);

        Assert.Equal(new PurgeResult { FailedSynchronizations = 1 }, deleted);
        var detail = await Store.Management.GetTaskAsync(id, Ct);
        Assert.Equal([erp], detail!.Synchronizations.Select(s => s.Connector));
        Assert.Single(await AttemptsAsync(id));
    }

    [Fact]
    public async Task PurgeAsync_EachCutOff_DeletesOnlyItsKindAndOnlyOlderRows()
    {
        var crm = Some.Connector();
        var window = Time.GetUtcNow().AddHours(-1);
        var incoming = await Store.Queue.AppendIncomingAsync([new IncomingAppend(Some.IncomingTask(crm, IncomingPolicy.Default, crm), "old-key", window)], Ct);
        var delivered = await AppendOneAsync(Some.Task(crm));
        Assert.True(await Store.Queue.RecordAsync(new RecordRequest { Lease = await LeaseAsync(crm), Outcomes = [Ok(delivered)], KeepHistory = true }, Ct));
        await Store.Management.AppendAuditAsync(new AuditEntry { At = Time.GetUtcNow(), Action = "old" }, Ct);
        var cutOff = Time.GetUtcNow().AddMinutes(1);
        Time.Advance(TimeSpan.FromMinutes(2));
        var recent = await AppendOneAsync(Some.Task(Time.GetUtcNow(), crm));
        Assert.True(await Store.Queue.RecordAsync(new RecordRequest { Lease = await LeaseAsync(crm), Outcomes = [Ok(recent)], KeepHistory = true }, Ct));
        await Store.Management.AppendAuditAsync(new AuditEntry { At = Time.GetUtcNow(), Action = "recent" }, Ct);

        Assert.Equal(new PurgeResult(), await Store.Retention.PurgeAsync(new RetentionCutoffs(), Ct));
        Assert.Equal(new PurgeResult { History = 1 }, await Store.Retention.PurgeAsync(new RetentionCutoffs { HistoryBefore = cutOff }, Ct));
        Assert.Equal([recent], (await Store.Management.ListHistoryAsync(new HistoryQuery(), Ct)).Select(h => h.Task.Id));
        Assert.Equal(new PurgeResult { Audit = 1 }, await Store.Retention.PurgeAsync(new RetentionCutoffs { AuditBefore = cutOff }, Ct));
        Assert.Equal(["recent"], (await Store.Management.ListAuditAsync(new AuditQuery(), Ct)).Select(a => a.Action));

        var repeat = await Store.Queue.AppendIncomingAsync([new IncomingAppend(Some.IncomingTask(crm, IncomingPolicy.Default, crm), "old-key", window)], Ct);
        Assert.Equal((true, incoming[0].TaskId), (repeat[0].Repeated, repeat[0].TaskId));
        Assert.Equal(new PurgeResult { IdempotencyKeys = 1 }, await Store.Retention.PurgeAsync(new RetentionCutoffs { IdempotencyKeysBefore = cutOff }, Ct));
        var again = await Store.Queue.AppendIncomingAsync([new IncomingAppend(Some.IncomingTask(crm, IncomingPolicy.Default, crm), "old-key", window)], Ct);
        Assert.False(again[0].Repeated);
        Assert.Equal(2, (await FetchAllAsync(crm, TaskDirection.Incoming)).Count);
    }
}
