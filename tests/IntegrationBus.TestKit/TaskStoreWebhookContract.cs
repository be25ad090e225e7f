using System.Text;
using IntegrationBus.Storage;
using IntegrationBus.Webhooks;
using Xunit;

namespace IntegrationBus.TestKit;

/// <summary>The Standard Webhooks facts of the <see cref="TaskStoreContract"/>: message IDs recorded with their task, bound to a connector and a body.</summary>
public abstract class TaskStoreWebhookContract : TaskStoreFencingContract
{
    [Fact]
    public async Task AppendWebhookAsync_NewMessage_AppendsTheTask()
    {
        var crm = Some.Connector();
        var task = Some.IncomingTask(crm, IncomingPolicy.Default, crm);

        var result = await AppendWebhookAsync(task, Receipt("msg_new", "{}"));

        Assert.Equal(WebhookAppendStatus.Appended, result.Status);
        Assert.Equal(task.Guid, result.TaskGuid);
        Assert.Equal([result.TaskId], (await FetchAllAsync(crm, TaskDirection.Incoming)).Select(q => q.Id));
    }

    [Fact]
    public async Task AppendWebhookAsync_SameMessageSameConnector_RepeatsTheFirstTaskEvenAfterItRan()
    {
        var crm = Some.Connector();
        var first = await AppendWebhookAsync(Some.IncomingTask(crm, IncomingPolicy.Default, crm), Receipt("msg_1", "{\"a\":1}"));
        var again = await AppendWebhookAsync(Some.IncomingTask(crm, IncomingPolicy.Default, crm), Receipt("msg_1", "{\"a\":1}"));
        await RecordAsync(crm, TaskDirection.Incoming, Ok(first.TaskId));

        var afterRun = await AppendWebhookAsync(Some.IncomingTask(crm, IncomingPolicy.Default, crm), Receipt("msg_1", "{\"a\":1}"));

        Assert.Equal(new WebhookAppendResult(WebhookAppendStatus.Repeated, first.TaskId, first.TaskGuid), again);
        Assert.Equal(again, afterRun);
        Assert.Empty(await FetchAllAsync(crm, TaskDirection.Incoming));
    }

    [Fact]
    public async Task AppendWebhookAsync_SameIdOtherConnector_RefusedAndAppendsNothing()
    {
        var crm = Some.Connector();
        var erp = Some.Connector();
        await AppendWebhookAsync(Some.IncomingTask(crm, IncomingPolicy.Default, crm), Receipt("msg_shared", "{}"));

        var replay = await AppendWebhookAsync(Some.IncomingTask(erp, IncomingPolicy.Default, erp), Receipt("msg_shared", "{}"));

        Assert.Equal(new WebhookAppendResult(WebhookAppendStatus.OtherConnector, 0, Guid.Empty), replay);
        Assert.Empty(await FetchAllAsync(erp, TaskDirection.Incoming));
        Assert.Single(await FetchAllAsync(crm, TaskDirection.Incoming));
    }

    [Fact]
    public async Task AppendWebhookAsync_SameIdOtherBody_RefusedAndAppendsNothing()
    {
        var crm = Some.Connector();
        await AppendWebhookAsync(Some.IncomingTask(crm, IncomingPolicy.Default, crm), Receipt("msg_body", "{\"a\":1}"));

        var other = await AppendWebhookAsync(Some.IncomingTask(crm, IncomingPolicy.Default, crm), Receipt("msg_body", "{\"a\":2}"));

        Assert.Equal(WebhookAppendStatus.OtherBody, other.Status);
        Assert.Single(await FetchAllAsync(crm, TaskDirection.Incoming));
    }

    [Fact]
    public async Task AppendWebhookAsync_RecordOutsideWindow_AppendsAgainAndRebindsTheId()
    {
        var crm = Some.Connector();
        var erp = Some.Connector();
        await AppendWebhookAsync(Some.IncomingTask(crm, IncomingPolicy.Default, crm), Receipt("msg_old", "{}"));
        var later = Some.IncomingTask(erp, IncomingPolicy.Default, erp) with { CreatedAt = Some.Epoch.AddDays(2) };

        var result = (await Store.Queue.AppendWebhookAsync(new IncomingAppend(later, null, Some.Epoch.AddDays(1)), Receipt("msg_old", "{}"), Ct));
        var repeat = (await Store.Queue.AppendWebhookAsync(
            new IncomingAppend(Some.IncomingTask(erp, IncomingPolicy.Default, erp), null, Some.Epoch.AddDays(1)), Receipt("msg_old", "{}"), Ct));

        Assert.Equal(WebhookAppendStatus.Appended, result.Status);
        Assert.Equal(new WebhookAppendResult(WebhookAppendStatus.Repeated, result.TaskId, later.Guid), repeat);
    }

    [Fact]
    public async Task AppendWebhookAsync_SameMessageAtOnce_AppendsOnceAndRepeatsForTheRest()
    {
        var crm = Some.Connector();

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
            Task.Run(() => AppendWebhookAsync(Some.IncomingTask(crm, IncomingPolicy.Default, crm), Receipt("msg_race", "{}")), Ct)));

        var appended = Assert.Single(results, r => r.Status == WebhookAppendStatus.Appended);
        Assert.All(results.Where(r => r != appended), r => Assert.Equal(new WebhookAppendResult(WebhookAppendStatus.Repeated, appended.TaskId, appended.TaskGuid), r));
        Assert.Single(await FetchAllAsync(crm, TaskDirection.Incoming));
    }

    [Fact]
    public async Task AppendWebhookAsync_WithIdempotencyKey_Throws()
    {
        var crm = Some.Connector();

        await Assert.ThrowsAsync<ArgumentException>(() => Store.Queue.AppendWebhookAsync(
            new IncomingAppend(Some.IncomingTask(crm, IncomingPolicy.Default, crm), "key", Time.GetUtcNow().AddHours(-1)), Receipt("msg_key", "{}"), Ct));
        Assert.Empty(await FetchAllAsync(crm, TaskDirection.Incoming));
    }

    [Fact]
    public async Task PurgeAsync_WebhookMessagesBeforeCutOff_DeletesTheirRecords()
    {
        var crm = Some.Connector();
        await AppendWebhookAsync(Some.IncomingTask(crm, IncomingPolicy.Default, crm), Receipt("msg_purged", "{}"));
        Time.Advance(TimeSpan.FromDays(1));
        var cutOff = Time.GetUtcNow();
        await AppendWebhookAsync(Some.IncomingTask(crm, IncomingPolicy.Default, crm) with { CreatedAt = cutOff.AddMinutes(1) }, Receipt("msg_kept", "{}"));

        var deleted = await Store.Retention.PurgeAsync(new RetentionCutoffs { WebhookMessagesBefore = cutOff }, Ct);
        var kept = await AppendWebhookAsync(Some.IncomingTask(crm, IncomingPolicy.Default, crm), Receipt("msg_kept", "{}"), Some.Epoch);
        var purged = await AppendWebhookAsync(Some.IncomingTask(crm, IncomingPolicy.Default, crm), Receipt("msg_purged", "{}"), Some.Epoch);

        Assert.Equal(1, deleted.WebhookMessages);
        Assert.Equal(WebhookAppendStatus.Repeated, kept.Status);
        Assert.Equal(WebhookAppendStatus.Appended, purged.Status);
    }

    private readonly string _unique = Guid.NewGuid().ToString("N");

    private WebhookReceipt Receipt(string id, string body) => WebhookReceipt.Create(id + "_" + _unique, Encoding.UTF8.GetBytes(body));

    private Task<WebhookAppendResult> AppendWebhookAsync(NewIntegrationTask task, WebhookReceipt receipt, DateTimeOffset? notBefore = null) =>
        Store.Queue.AppendWebhookAsync(new IncomingAppend(task, null, notBefore ?? Time.GetUtcNow().AddHours(-1)), receipt, Ct);
}
