using System.Text.Json;
using IntegrationBus.EntityFrameworkCore.Tests.Support;

using Microsoft.EntityFrameworkCore;

namespace IntegrationBus.EntityFrameworkCore.Tests;

public sealed class EntityFrameworkDataHandlerTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Incoming_CreateUpdateDelete_AppliedThroughDbContextWithForeignKeyTranslation()
    {
        var crm = new CrmPolls(relay: false);
        await using var bus = await EfBus.StartAsync([crm]);
        crm.Types = bus.Bus.Types;
        Guid ownerGuid;
        await using (bus.Scope(out var db))
        {
            var owner = new User { UserName = "owner" };
            ownerGuid = owner.UserGuid;
            db.Users.Add(owner);
            await db.SaveChangesAsync(Token);
        }

        crm.Owners["crm-7"] = new TranslationRecord("cms.user", 0, ownerGuid);
        var pollGuid = Guid.NewGuid();
        await SendAsync(bus, TaskType.CreateObject, pollGuid, "Tea?", "crm-7");
        var poll = Assert.Single(await PollsAsync(bus));
        Assert.Equal((pollGuid, "Tea?"), (poll.PollGuid, poll.Question));
        await using (bus.Scope(out var db))
        {
            Assert.Equal((await db.Users.SingleAsync(Token)).UserId, poll.OwnerUserId);
        }

        await SendAsync(bus, TaskType.UpdateObject, pollGuid, "Coffee?", null);
        Assert.Equal((poll.PollId, "Coffee?"), Assert.Single(await PollsAsync(bus)) is var updated ? (updated.PollId, updated.Question) : default);

        await SendAsync(bus, TaskType.DeleteObject, pollGuid, "Coffee?", null);
        Assert.Empty(await PollsAsync(bus));
    }

    [Fact]
    public async Task Incoming_NotRelayed_LogsNoOutgoingTask()
    {
        var crm = new CrmPolls(relay: false);
        var search = new Recorder("search", s => s.AllObjects(SubscriptionMode.AsyncSimple));
        await using var bus = await EfBus.StartAsync([crm, search], processing: false);
        crm.Types = bus.Bus.Types;

        await SendAsync(bus, TaskType.CreateObject, Guid.NewGuid(), "Tea?", null);

        Assert.Single(await PollsAsync(bus));
        Assert.Empty(await bus.QueueAsync("search"));
        Assert.Empty(await bus.QueueAsync("crm"));
    }

    [Fact]
    public async Task Incoming_Relayed_OtherConnectorsGetTheChangeButNeverTheOrigin()
    {
        var crm = new CrmPolls(relay: true);
        var search = new Recorder("search", s => s.AllObjects(SubscriptionMode.AsyncSimple));
        await using var bus = await EfBus.StartAsync([crm, search], processing: false);
        crm.Types = bus.Bus.Types;

        await SendAsync(bus, TaskType.CreateObject, Guid.NewGuid(), "Tea?", null);

        Assert.Single(await PollsAsync(bus));
        Assert.Equal("polls.poll", Assert.Single(await bus.QueueAsync("search")).ObjectType);
        Assert.Empty(await bus.QueueAsync("crm"));
    }

    /// <summary>Queues one incoming poll change and waits until the incoming runner has processed it.</summary>
    /// <remarks>
    /// A sweep pass that began before the task committed goes idle without it, so one idle event is not enough: the
    /// queue is looked at after each, with the next wait armed before the look.
    /// </remarks>
    private static async Task SendAsync(EfBus bus, TaskType taskType, Guid guid, string question, string? owner)
    {
        var json = JsonSerializer.SerializeToElement(new { guid, question, owner });
        var result = await bus.Bus.ProcessExternalTaskAsync("crm", json, taskType, DataType.SimpleSnapshot, "main", cancellationToken: Token);
        Assert.True(result.IsQueued, result.Message);
        while (true)
        {
            var idle = bus.NextIncomingIdleAsync("crm");
            var left = (await bus.Management.ListTasksAsync(new Storage.TaskQuery { Connector = "crm", Direction = TaskDirection.Incoming }, Token)).Items;
            if (left.Count == 0)
            {
                return;
            }

            Assert.True(left.All(t => t.LastError is null), string.Join("; ", left.Select(t => t.LastError)));
            await idle;
        }
    }

    private static async Task<List<Poll>> PollsAsync(EfBus bus)
    {
        await using (bus.Scope(out var db))
        {
            return await db.Polls.AsNoTracking().ToListAsync(Token);
        }
    }

    private sealed class CrmPolls(bool relay) : Connector("crm")
    {
        public Dictionary<string, TranslationRecord> Owners { get; } = [];

        public ObjectTypeRegistry? Types { get; set; }

        public override bool RelayIncomingChanges => relay;

        protected override void Subscribe(SubscriptionBuilder subscriptions) => subscriptions.Objects("polls.poll", SubscriptionMode.AsyncSimple);

        protected override ValueTask<InternalObjectResult> PrepareInternalObjectAsync(object externalObject, TaskType taskType, DataType dataType, CancellationToken cancellationToken)
        {
            var json = (JsonElement)externalObject;
            var poll = new BusObject(Types!.Get("polls.poll"))
            {
                ["PollGuid"] = json.GetProperty("guid").GetGuid(),
                ["PollCodeName"] = "poll-" + json.GetProperty("guid").GetGuid().ToString("N")[..8],
                ["Question"] = json.GetProperty("question").GetString(),
                ["OwnerUserId"] = json.GetProperty("owner").GetString(),
            };
            return ValueTask.FromResult(InternalObjectResult.Accept(poll));
        }

        protected override ValueTask<TranslationRecord?> GetInternalObjectParamsAsync(ExternalReference reference, CancellationToken cancellationToken) =>
            ValueTask.FromResult(Owners.GetValueOrDefault((string)reference.ExternalId));

        protected override Task<TaskResult> ProcessOutgoingAsync(OutgoingTask task, CancellationToken cancellationToken) =>
            Task.FromResult(TaskResult.SkipNow("kept for inspection"));
    }
}
