using System.Text;
using IntegrationBus.Storage;
using IntegrationBus.Tests.Support;
using IntegrationBus.Webhooks;

namespace IntegrationBus.Tests.Incoming;

public sealed class IncomingWebhookTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static ExternalChange Change(string email, WebhookReceipt? webhook) =>
        new(new CrmContact(Guid.NewGuid(), email, null), TaskType.CreateObject, DataType.Simple, "main") { Webhook = webhook };

    private static WebhookReceipt Receipt(string id, string body = "{}") => WebhookReceipt.Create(id, Encoding.UTF8.GetBytes(body));

    [Fact]
    public async Task ProcessExternalChangeAsync_SameMessageAgainThenAtAnotherConnector_RepeatsThenRefuses()
    {
        await using var bus = await TestBus.StartAsync([new CrmInboundConnector("crm"), new CrmInboundConnector("erp")], start: false);

        var first = await bus.Bus.ProcessExternalChangeAsync("crm", Change("a@example.com", Receipt("msg_1")), Token);
        var retry = await bus.Bus.ProcessExternalChangeAsync("crm", Change("a@example.com", Receipt("msg_1")), Token);
        var otherBody = await bus.Bus.ProcessExternalChangeAsync("crm", Change("a@example.com", Receipt("msg_1", "{\"x\":1}")), Token);
        var otherConnector = await bus.Bus.ProcessExternalChangeAsync("erp", Change("a@example.com", Receipt("msg_1")), Token);

        Assert.Equal(ExternalTaskStatus.Queued, first.Status);
        Assert.Equal((ExternalTaskStatus.Repeated, first.TaskId, first.TaskGuid), (retry.Status, retry.TaskId, retry.TaskGuid));
        Assert.Equal(ExternalTaskStatus.Replayed, otherBody.Status);
        Assert.Contains("different body", otherBody.Message, StringComparison.Ordinal);
        Assert.Equal(ExternalTaskStatus.Replayed, otherConnector.Status);
        Assert.Contains("another connector", otherConnector.Message, StringComparison.Ordinal);
        Assert.Null(otherConnector.TaskId);
    }

    [Fact]
    public async Task ProcessExternalChangeAsync_WithoutWebhook_QueuesLikeProcessExternalTaskAsync()
    {
        await using var bus = await TestBus.StartAsync([new CrmInboundConnector("crm")], start: false);

        var result = await bus.Bus.ProcessExternalChangeAsync("crm", Change("b@example.com", null) with { IdempotencyKey = "k" }, Token);
        var repeat = await bus.Bus.ProcessExternalChangeAsync("crm", Change("c@example.com", null) with { IdempotencyKey = "k" }, Token);

        Assert.Equal(ExternalTaskStatus.Queued, result.Status);
        Assert.Equal(ExternalTaskStatus.Repeated, repeat.Status);
    }

    [Fact]
    public async Task ProcessExternalTasksAsync_ChangeWithWebhook_Throws()
    {
        await using var bus = await TestBus.StartAsync([new CrmInboundConnector("crm")], start: false);

        await Assert.ThrowsAsync<ArgumentException>(() => bus.Bus.ProcessExternalTasksAsync("crm", [Change("d@example.com", Receipt("msg_2"))], Token));
    }

    [Fact]
    public async Task AppendWebhookAsync_StoreWithoutSupport_ThrowsNotSupported()
    {
        var queue = new QueueWithoutWebhooks();

        var exception = await Assert.ThrowsAsync<NotSupportedException>(() => queue.AppendWebhookAsync(
            new IncomingAppend(TestKit.Some.IncomingTask("crm", IncomingPolicy.Default, "crm"), null, DateTimeOffset.MinValue), Receipt("msg_3"), Token));

        Assert.Contains("replays", exception.Message, StringComparison.Ordinal);
    }

    /// <summary>A store's queue that implements only what every store must: no webhook replays.</summary>
    private sealed class QueueWithoutWebhooks : QueueStore
    {
        public override Task<IReadOnlyList<long>> AppendAsync(IReadOnlyList<NewIntegrationTask> tasks, System.Data.Common.DbTransaction? transaction, CancellationToken cancellationToken) =>
            throw new NotImplementedException();

        public override IReadOnlyList<long> Append(IReadOnlyList<NewIntegrationTask> tasks, System.Data.Common.DbTransaction transaction) => throw new NotImplementedException();

        public override Task<IReadOnlyList<IncomingAppendResult>> AppendIncomingAsync(IReadOnlyList<IncomingAppend> appends, CancellationToken cancellationToken) =>
            throw new NotImplementedException();

        public override Task<IReadOnlyList<QueuedTask>> FetchAsync(FetchRequest request, CancellationToken cancellationToken) => throw new NotImplementedException();

        public override Task<bool> RecordAsync(RecordRequest request, CancellationToken cancellationToken) => throw new NotImplementedException();
    }
}
