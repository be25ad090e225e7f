using IntegrationBus.Connectors;
using IntegrationBus.Model;
using IntegrationBus.Storage;
using Xunit;

namespace IntegrationBus.TestKit;

/// <summary>
/// Every <see cref="ITaskStore"/> behaviour as a fact. A store's test class derives from this class, implements
/// <see cref="TaskStoreContractBase.CreateStoreAsync"/> and adds provider-only facts; it never overrides these.
/// </summary>
/// <remarks>
/// The facts live in a chain of classes (queue, lease, then the management facts here) only to keep files short.
/// Every <c>now</c> comes from <see cref="TaskStoreContractBase.Time"/>.
/// </remarks>
public abstract class TaskStoreContract : TaskStoreIncomingContract
{
    [Fact]
    public async Task RegisterConnectorsAsync_NewAndKnown_AddsEnabledAndUpdatesDisplayNames()
    {
        var crm = Some.Connector();
        var erp = Some.Connector();
        await Store.RegisterConnectorsAsync([new ConnectorState(crm, "CRM", true)], Ct);
        await Store.SetConnectorEnabledAsync(crm, false, Ct);

        var all = await Store.RegisterConnectorsAsync([new ConnectorState(crm, "The CRM", true), new ConnectorState(erp, "ERP", false)], Ct);

        Assert.Equal([new ConnectorState(erp, "ERP", true), new ConnectorState(crm, "The CRM", false)], all.OrderBy(c => c.DisplayName, StringComparer.Ordinal));
        Assert.Equal(all.ToHashSet(), (await Store.GetConnectorsAsync(Ct)).ToHashSet());
    }

    [Fact]
    public async Task SetConnectorEnabledAsync_KnownConnector_PersistsState()
    {
        var crm = Some.Connector();
        await Store.RegisterConnectorsAsync([new ConnectorState(crm, "CRM", true)], Ct);

        Assert.True(await Store.SetConnectorEnabledAsync(crm, false, Ct));
        Assert.False((await Store.GetConnectorsAsync(Ct)).Single().Enabled);
        Assert.True(await Store.SetConnectorEnabledAsync(crm, true, Ct));
        Assert.True((await Store.GetConnectorsAsync(Ct)).Single().Enabled);
    }

    [Fact]
    public async Task SetConnectorEnabledAsync_UnknownConnector_ReturnsFalse()
        => Assert.False(await Store.SetConnectorEnabledAsync(Some.Connector(), false, Ct));

    [Fact]
    public async Task AppendAsync_UnknownConnector_RegistersItEnabled()
    {
        var crm = Some.Connector();

        await AppendOneAsync(Some.Task(crm));

        var connector = Assert.Single(await Store.GetConnectorsAsync(Ct));
        Assert.Equal((crm, true), (connector.Name, connector.Enabled));
    }

    [Fact]
    public async Task GetSettingsAsync_AfterSetSetting_ReturnsLatestValues()
    {
        Assert.Empty(await Store.GetSettingsAsync(Ct));

        await Store.SetSettingAsync("bus.enabled", "true", Ct);
        await Store.SetSettingAsync("retention", "7.00:00:00", Ct);
        await Store.SetSettingAsync("bus.enabled", "false", Ct);

        Assert.Equal(
            new Dictionary<string, string> { ["bus.enabled"] = "false", ["retention"] = "7.00:00:00" },
            await Store.GetSettingsAsync(Ct));
    }

    [Fact]
    public async Task GetQueuesAsync_MixedStatuses_CountsPerQueue()
    {
        var crm = Some.Connector();
        var erp = Some.Connector();
        var ids = await AppendAsync(
            Some.Task(Some.Epoch.AddMinutes(1), crm), Some.Task(Some.Epoch.AddMinutes(2), crm, erp), Some.Task(Some.Epoch.AddMinutes(3), crm), Some.Task(Some.Epoch.AddMinutes(4), crm));
        await AppendOneAsync(Some.IncomingTask(erp, IncomingPolicy.Default, crm) with { CreatedAt = Some.Epoch.AddMinutes(5) });
        await Store.RecordAsync(crm, TaskDirection.Outgoing,
        [
            Error(ids[0], "e", TimeSpan.FromMinutes(1)),
            new TaskOutcome(ids[1], TaskResultKind.ErrorAndSkip, "s", Time.GetUtcNow()),
            Error(ids[2], "f", TimeSpan.FromMinutes(1), park: true),
        ], Ct);

        var queues = await Store.GetQueuesAsync(Ct);

        Assert.Equal(3, queues.Count);
        Assert.Contains(new QueueSummary(crm, TaskDirection.Outgoing, 1, 1, 1, 1, Some.Epoch.AddMinutes(1)), queues);
        Assert.Contains(new QueueSummary(crm, TaskDirection.Incoming, 1, 0, 0, 0, Some.Epoch.AddMinutes(5)), queues);
        Assert.Contains(new QueueSummary(erp, TaskDirection.Outgoing, 1, 0, 0, 0, Some.Epoch.AddMinutes(2)), queues);
    }

    [Fact]
    public async Task ListAsync_Filters_AreCombined()
    {
        var crm = Some.Connector();
        var erp = Some.Connector();
        var contact = Some.ObjectType();
        var ids = await AppendAsync(
            Some.Task(crm, erp) with { ObjectType = contact }, Some.Task(crm, erp) with { ObjectType = contact }, Some.Task(crm, erp));
        await AppendOneAsync(Some.IncomingTask(erp, IncomingPolicy.Default, crm) with { ObjectType = contact });
        await RecordAsync(crm, Error(ids[1], "e", TimeSpan.FromMinutes(1)));
        await RecordAsync(crm, Error(ids[2], "e", TimeSpan.FromMinutes(1)));

        var rows = await Store.ListAsync(new TaskQuery(crm, TaskDirection.Outgoing, SynchronizationStatus.Error, contact), Ct);

        var row = Assert.Single(rows);
        Assert.Equal((ids[1], crm, TaskDirection.Outgoing, SynchronizationStatus.Error, contact), (row.TaskId, row.Connector, row.Direction, row.Status, row.ObjectType));
        Assert.Equal(1, await Store.CountAsync(new TaskQuery(crm, TaskDirection.Outgoing, SynchronizationStatus.Error, contact), Ct));
        Assert.Equal(2, await Store.CountAsync(new TaskQuery(Connector: crm, Status: SynchronizationStatus.Error), Ct));
        Assert.Equal(3, await Store.CountAsync(new TaskQuery(Connector: erp, Direction: TaskDirection.Outgoing), Ct));
        Assert.Equal(7, await Store.CountAsync(new TaskQuery(), Ct));
    }

    [Fact]
    public async Task ListAsync_AfterTaskIdAndLimit_PagesInTaskIdOrder()
    {
        var crm = Some.Connector();
        var ids = await AppendAsync(Enumerable.Range(0, 5).Select(_ => Some.Task(crm)).ToArray());

        var first = await Store.ListAsync(new TaskQuery(Connector: crm, Limit: 2), Ct);
        var second = await Store.ListAsync(new TaskQuery(Connector: crm, AfterTaskId: first[^1].TaskId, Limit: 2), Ct);
        var third = await Store.ListAsync(new TaskQuery(Connector: crm, AfterTaskId: second[^1].TaskId, Limit: 2), Ct);

        Assert.Equal(ids, first.Concat(second).Concat(third).Select(r => r.TaskId));
        Assert.Equal(5, await Store.CountAsync(new TaskQuery(Connector: crm, AfterTaskId: ids[3], Limit: 1), Ct));
    }

    [Fact]
    public async Task ListAsync_Task_ShowsItsFields()
    {
        var crm = Some.Connector();
        var task = Some.Task(crm);
        var id = await AppendOneAsync(task);

        var row = await SummaryAsync(id, crm);

        Assert.Equal(
            new TaskSummary(id, task.Guid, crm, task.Direction, task.TaskType, task.DataType, task.ObjectType, task.ObjectId, task.Site, task.CreatedAt,
                SynchronizationStatus.Pending, 0, null, null, null),
            row);
    }

    [Fact]
    public async Task RetryAsync_ErroredSkippedAndFailed_BecomePendingDueAtOnce()
    {
        var crm = Some.Connector();
        var erp = Some.Connector();
        var billing = Some.Connector();
        var pending = Some.Connector();
        var id = await AppendOneAsync(Some.Task(crm, erp, billing, pending));
        await RecordAsync(crm, Error(id, "e", TimeSpan.FromHours(1)));
        await RecordAsync(erp, new TaskOutcome(id, TaskResultKind.ErrorAndSkip, "s", Time.GetUtcNow()));
        await RecordAsync(billing, Error(id, "f", TimeSpan.FromHours(1), park: true));

        Assert.Equal(3, await Store.RetryAsync(id, null, Ct));

        foreach (var connector in new[] { crm, erp, billing, pending })
        {
            var task = (await FetchAllAsync(connector)).Single();
            Assert.Equal((SynchronizationStatus.Pending, (DateTimeOffset?)null), (task.Status, task.NextAttemptAt));
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

        Assert.Equal(1, await Store.RetryAsync(id, erp, Ct));

        Assert.Empty(await FetchAllAsync(crm));
        Assert.Equal(SynchronizationStatus.Pending, (await FetchAllAsync(erp)).Single().Status);
    }

    [Fact]
    public async Task RetryAsync_UnknownTask_ReturnsZero()
        => Assert.Equal(0, await Store.RetryAsync(long.MaxValue, null, Ct));

    [Fact]
    public async Task DeleteAsync_AllConnectors_DeletesTaskAndAttempts()
    {
        var crm = Some.Connector();
        var erp = Some.Connector();
        var ids = await AppendAsync(Some.Task(crm, erp), Some.Task(crm));
        await RecordAsync(crm, Error(ids[0], "e", TimeSpan.FromHours(1)));

        Assert.Equal(2, await Store.DeleteAsync(ids[0], null, Ct));

        Assert.Equal([ids[1]], (await FetchAllAsync(crm)).Select(t => t.Id));
        Assert.Empty(await FetchAllAsync(erp));
        Assert.Null(await Store.GetPayloadAsync(ids[0], Ct));
        Assert.Empty(await Store.GetAttemptsAsync(ids[0], Ct));
    }

    [Fact]
    public async Task DeleteAsync_OneConnector_KeepsTaskForOthers()
    {
        var crm = Some.Connector();
        var erp = Some.Connector();
        var id = await AppendOneAsync(Some.Task(crm, erp));

        Assert.Equal(1, await Store.DeleteAsync(id, crm, Ct));

        Assert.Empty(await FetchAllAsync(crm));
        Assert.Equal([id], (await FetchAllAsync(erp)).Select(t => t.Id));
        Assert.NotNull(await Store.GetPayloadAsync(id, Ct));
        Assert.Equal(0, await Store.DeleteAsync(id, crm, Ct));
    }

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

        var deleted = await Store.PurgeAsync(cutOff, Ct);

        Assert.True(deleted >= 3, $"Deleted {deleted} rows; expected at least the two old attempts and the old failed synchronization.");
        Assert.Null(await Store.GetPayloadAsync(ids[0], Ct));
        Assert.DoesNotContain(await Store.ListAsync(new TaskQuery(Connector: crm), Ct), r => r.TaskId == ids[0]);
        var errored = await SummaryAsync(ids[1], crm);
        Assert.Equal((SynchronizationStatus.Error, 1), (errored.Status, errored.Attempts));
        Assert.Empty(await Store.GetAttemptsAsync(ids[1], Ct));
        Assert.Equal(SynchronizationStatus.Failed, (await SummaryAsync(ids[2], crm)).Status);
        Assert.Single(await Store.GetAttemptsAsync(ids[2], Ct));
        Assert.Equal(0, await Store.PurgeAsync(cutOff, Ct));
    }

    [Fact]
    public async Task GetAttemptsAsync_UnknownTask_ReturnsEmpty()
        => Assert.Empty(await Store.GetAttemptsAsync(long.MaxValue, Ct));
}
