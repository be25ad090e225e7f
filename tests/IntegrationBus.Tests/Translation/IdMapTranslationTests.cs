using System.Collections.Concurrent;
using IntegrationBus.Storage;
using IntegrationBus.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationBus.Tests.Translation;

/// <summary>The ID map end to end on the real SQLite store: filled by OkWithExternalId, used by the default translation both ways.</summary>
public sealed class IdMapTranslationTests
{
    private static readonly ObjectTypeInfo Order = new ObjectTypeBuilder("shop.order").Id("OrderID").Guid("OrderGuid").Fields("Number").Build();

    private static readonly ObjectTypeInfo OrderLine = new ObjectTypeBuilder("shop.orderline")
        .Id("LineID").Guid("LineGuid").ForeignKey("OrderID", "shop.order", required: true).Fields("Sku").Build();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ProcessOutgoing_ChildUpdateAfterParentCreatedWithExternalId_TranslatesForeignKeyWithoutOverride()
    {
        var erp = new ErpConnector();
        var order = NewOrder(1);
        var line = NewLine(10, order);
        await using var bus = await StartAsync(erp, order, line);

        await LogAndRunAsync(bus, order, TaskType.CreateObject);
        await LogAndRunAsync(bus, line, TaskType.CreateObject);
        await LogAndRunAsync(bus, line, TaskType.UpdateObject);

        var calls = erp.Calls;
        Assert.Equal((TaskType.CreateObject, null), (calls[0].TaskType, calls[0].ExternalId));
        Assert.Equal((TaskType.CreateObject, "ERP-1", null), (calls[1].TaskType, calls[1].OrderId, calls[1].ExternalId));
        Assert.Equal((TaskType.UpdateObject, "ERP-1", ExternalId.FromString("ERP-10")), (calls[2].TaskType, calls[2].OrderId, calls[2].ExternalId));
        var entries = (await bus.Management.IdMap.ListAsync(new IdMapQuery { Connector = "erp" }, Token)).Items;
        Assert.Equal([("shop.order", order.Guid!.Value, 1L, "ERP-1"), ("shop.orderline", line.Guid!.Value, 10L, "ERP-10")], entries.Select(e => (e.ObjectType, e.ObjectGuid, e.ObjectId!.Value, e.ExternalId.ToString())));
    }

    [Fact]
    public async Task ProcessOutgoing_ParentAndChildCreatedInOneBatch_ChildSeesParentsExternalId()
    {
        var erp = new ErpConnector();
        var order = NewOrder(2);
        var line = NewLine(20, order);
        await using var bus = await StartAsync(erp, order, line, start: false);
        await bus.Bus.LogChangeAsync(order, TaskType.CreateObject, Token);
        await bus.Bus.LogChangeAsync(line, TaskType.CreateObject, Token);
        await bus.Bus.LogChangeAsync(line, TaskType.UpdateObject, Token);

        await bus.StartHostAsync();

        Assert.Equal([(null, null), ("ERP-2", null), ("ERP-2", "ERP-20")], erp.Calls.Select(c => (c.OrderId, c.ExternalId?.ToString())));
        Assert.Equal(2, (await bus.Management.IdMap.ListAsync(new IdMapQuery { Connector = "erp" }, Token)).Items.Count);
    }

    [Fact]
    public async Task ProcessOutgoing_DeleteAcknowledged_RemovesOnlyThatObjectsEntry()
    {
        var erp = new ErpConnector();
        var order = NewOrder(3);
        var line = NewLine(30, order);
        await using var bus = await StartAsync(erp, order, line);
        await LogAndRunAsync(bus, order, TaskType.CreateObject);
        await LogAndRunAsync(bus, line, TaskType.CreateObject);

        await LogAndRunAsync(bus, line, TaskType.DeleteObject);

        Assert.Equal((TaskType.DeleteObject, ExternalId.FromString("ERP-30")), (erp.Calls[2].TaskType, erp.Calls[2].ExternalId));
        var entries = (await bus.Management.IdMap.ListAsync(new IdMapQuery { Connector = "erp" }, Token)).Items;
        Assert.Equal([order.Guid!.Value], entries.Select(e => e.ObjectGuid));
    }

    [Fact]
    public async Task ProcessExternalTask_ForeignKeyHoldsMappedExternalId_QueuesRecordOfTheMappedObject()
    {
        var erp = new ErpConnector();
        var order = NewOrder(4);
        await using var bus = await StartAsync(erp, order);
        await bus.Store.IdMap.SetAsync(
            new IdMapEntry { Connector = "erp", ObjectType = "shop.order", ObjectGuid = order.Guid!.Value, ObjectId = 4, ExternalId = 4711L, CreatedAt = bus.Time.GetUtcNow(), UpdatedAt = bus.Time.GetUtcNow() },
            Token);

        var result = await bus.Bus.ProcessExternalTaskAsync("erp", new ErpLine(Guid.NewGuid(), "4711"), TaskType.CreateObject, DataType.SimpleSnapshot, null, cancellationToken: Token);

        Assert.True(result.IsQueued, result.Message);
        var task = await bus.Management.GetTaskAsync(result.TaskId!.Value, Token);
        Assert.Equal(new TranslationRecord("shop.order", 4, order.Guid), task!.Snapshot!.References["OrderID"]);
    }

    [Fact]
    public async Task ProcessExternalTask_ForeignKeyHoldsUnmappedExternalId_QueuesNoRecordForIt()
    {
        var erp = new ErpConnector();
        await using var bus = await StartAsync(erp);

        var result = await bus.Bus.ProcessExternalTaskAsync("erp", new ErpLine(Guid.NewGuid(), "unknown"), TaskType.CreateObject, DataType.SimpleSnapshot, null, cancellationToken: Token);

        Assert.True(result.IsQueued, result.Message);
        var task = await bus.Management.GetTaskAsync(result.TaskId!.Value, Token);
        Assert.False(task!.Snapshot!.References.ContainsKey("OrderID"));
    }

    /// <summary>Logs a change while the runner is idle and returns once it has processed and recorded it and is idle again.</summary>
    private static async Task LogAndRunAsync(TestBus bus, BusObject obj, TaskType taskType)
    {
        var idle = bus.NextRunnerIdleAsync("erp");
        await bus.Bus.LogChangeAsync(obj, taskType, Token);
        await idle;
    }

    private static Task<TestBus> StartAsync(ErpConnector erp, BusObject? order = null, BusObject? line = null, bool start = true)
    {
        var data = new InMemoryDataSource();
        foreach (var obj in new[] { order, line }.OfType<BusObject>())
        {
            data.Add(obj);
        }

        return TestBus.StartAsync([erp], b => b.AddObjectType(Order).AddObjectType(OrderLine).Services.AddSingleton<IObjectDataSource>(data), start);
    }

    private static BusObject NewOrder(long id) => SampleTypes.Create(Order, ("OrderID", id), ("OrderGuid", Guid.NewGuid()), ("Number", $"O-{id}"));

    private static BusObject NewLine(long id, BusObject order) =>
        SampleTypes.Create(OrderLine, ("LineID", id), ("LineGuid", Guid.NewGuid()), ("OrderID", order.Id), ("Sku", $"SKU-{id}"));

    /// <summary>A line as the ERP sends it: its order by the ERP's ID.</summary>
    private sealed record ErpLine(Guid Guid, string ErpOrderId);

    /// <summary>What the ERP connector saw of one task, copied before the run goes on.</summary>
    private sealed record Call(TaskType TaskType, ExternalId? ExternalId, string? OrderId);

    /// <summary>An ERP connector with no translation override: creates answer the ERP's new ID, everything else OK.</summary>
    private sealed class ErpConnector() : Connector("erp")
    {
        private readonly ConcurrentQueue<Call> _calls = new();

        public IReadOnlyList<Call> Calls => [.. _calls];

        protected override void Subscribe(SubscriptionBuilder subscriptions) => subscriptions.Objects("shop.%", SubscriptionMode.AsyncSimpleSnapshot);

        protected override async Task<TaskResult> ProcessOutgoingAsync(OutgoingTask task, CancellationToken cancellationToken)
        {
            await TranslateColumnsToExternalAsync(task, cancellationToken);
            _calls.Enqueue(new Call(task.TaskType, task.ExternalId, task.Object.Type == OrderLine ? task.Object["OrderID"]?.ToString() : null));
            return task.TaskType == TaskType.CreateObject ? TaskResult.OkWithExternalId($"ERP-{task.Object.Id}") : TaskResult.Ok;
        }

        protected override ValueTask<InternalObjectResult> PrepareInternalObjectAsync(object externalObject, TaskType taskType, DataType dataType, CancellationToken cancellationToken)
        {
            var line = (ErpLine)externalObject;
            return ValueTask.FromResult(InternalObjectResult.Accept(SampleTypes.Create(OrderLine, ("LineGuid", line.Guid), ("OrderID", line.ErpOrderId), ("Sku", "from-erp"))));
        }
    }
}
