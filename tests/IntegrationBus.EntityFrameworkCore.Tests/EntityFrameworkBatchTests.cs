using System.Text.Json;
using IntegrationBus.Diagnostics;
using IntegrationBus.EntityFrameworkCore.Tests.Support;
using IntegrationBus.Storage;
using Microsoft.EntityFrameworkCore;

namespace IntegrationBus.EntityFrameworkCore.Tests;

/// <summary>The EF Core data handler applies a run's tasks in batches; a failing batch falls back to one task at a time.</summary>
public sealed class EntityFrameworkBatchTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Incoming_BatchWithoutFailures_AllAppliedInOneBatch()
    {
        await using var bus = await StartAsync();
        var existing = Guid.NewGuid();
        await using (bus.Scope(out var db))
        {
            db.Contacts.Add(new Contact { ContactGuid = existing, Name = "Old", Email = "old@example.com" });
            await db.SaveChangesAsync(Token);
        }

        var changes = Enumerable.Range(1, 6).Select(i => Change(TaskType.CreateObject, Guid.NewGuid(), $"c{i}@example.com"))
            .Append(Change(TaskType.UpdateObject, existing, "renamed@example.com"))
            .ToList();
        await QueueAndDrainAsync(bus, changes);

        await using (bus.Scope(out var db))
        {
            Assert.Equal(7, await db.Contacts.CountAsync(Token));
            Assert.Equal("renamed@example.com", (await db.Contacts.SingleAsync(c => c.ContactGuid == existing, Token)).Email);
        }

        Assert.Empty(await bus.QueueAsync("crm"));
        Assert.DoesNotContain(bus.Signals.Seen, e => e.EventId == EventIds.IncomingBatchFailed);
        Assert.Equal(7, bus.Signals.Seen.Count(e => e.EventId == EventIds.IncomingApplied));
    }

    [Theory]
    [InlineData(IncomingPolicy.DeleteOnError)]
    [InlineData(IncomingPolicy.SkipOnError)]
    public async Task Incoming_BatchWithOneBadTask_AppliesAllOthersAndGivesTheBadOneItsPolicy(IncomingPolicy policy)
    {
        await using var bus = await StartAsync();
        await using (bus.Scope(out var db))
        {
            db.Contacts.Add(new Contact { Name = "Taken", Email = "taken@example.com" });
            await db.SaveChangesAsync(Token);
        }

        // The third create breaks the unique index on Email: valid at intake, refused by the database at apply.
        var changes = Enumerable.Range(1, 5)
            .Select(i => i == 3
                ? Change(TaskType.CreateObject, Guid.NewGuid(), "taken@example.com", policy)
                : Change(TaskType.CreateObject, Guid.NewGuid(), $"c{i}@example.com"))
            .ToList();
        var results = await QueueAndDrainAsync(bus, changes);

        await using (bus.Scope(out var db))
        {
            var emails = await db.Contacts.Select(c => c.Email).ToListAsync(Token);
            Assert.Equal(["c1@example.com", "c2@example.com", "c4@example.com", "c5@example.com", "taken@example.com"], emails.Order());
        }

        var badId = results[2].TaskId!.Value;
        var left = await bus.QueueAsync("crm");
        if (policy == IncomingPolicy.DeleteOnError)
        {
            Assert.Empty(left);
        }
        else
        {
            var kept = Assert.Single(left);
            Assert.Equal(badId, kept.TaskId);
            Assert.Equal(SynchronizationStatus.Skipped, kept.Status);
        }

        var failed = policy == IncomingPolicy.DeleteOnError ? EventIds.IncomingFailedDeleted : EventIds.IncomingFailedSkipped;
        Assert.Equal(badId, Assert.Single(bus.Signals.Seen, e => e.EventId == failed).State["TaskId"]);
        Assert.Single(bus.Signals.Seen, e => e.EventId == EventIds.IncomingBatchFailed);
    }

    [Fact]
    public async Task Incoming_BatchRelayed_OtherConnectorsGetEveryChangeButNeverTheOrigin()
    {
        var crm = Contacts(relay: true);
        var search = new Recorder("search", s => s.AllObjects(SubscriptionMode.AsyncSimple));
        await using var bus = await EfBus.StartAsync([crm, search], ef => ef.Object<Contact>("crm.contact"), processing: false);
        crm.Types = bus.Bus.Types;

        await QueueAndDrainAsync(bus, [.. Enumerable.Range(1, 4).Select(i => Change(TaskType.CreateObject, Guid.NewGuid(), $"r{i}@example.com"))]);

        Assert.Equal(4, (await bus.QueueAsync("search")).Count(t => t.ObjectType == "crm.contact"));
        Assert.Empty(await bus.QueueAsync("crm"));
        Assert.Equal(4, bus.Signals.Seen.Count(e => e.EventId == EventIds.IncomingApplied));
        Assert.DoesNotContain(bus.Signals.Seen, e => e.EventId == EventIds.IncomingBatchFailed);
    }

    [Fact]
    public async Task Incoming_BatchOfUpdatesByGuidAndCreatesOfKnownCodeNames_AppliesAllInOneBatch()
    {
        var users = new JsonObjects("cms", "cms.user", "UserGuid");
        await using var bus = await EfBus.StartAsync([users]);
        users.Types = bus.Bus.Types;
        var alice = Guid.NewGuid();
        await using (bus.Scope(out var db))
        {
            db.Users.AddRange(new User { UserGuid = alice, UserName = "alice" }, new User { UserName = "bob" });
            await db.SaveChangesAsync(Token);
        }

        // Found by GUID (renamed), found by code name (a GUID the application does not know), and a new one.
        var idle = bus.NextIncomingIdleAsync("cms");
        var results = await bus.Bus.ProcessExternalTasksAsync(
            "cms",
            [User(TaskType.UpdateObject, alice, "alice2", "a@example.com"), User(TaskType.CreateObject, Guid.NewGuid(), "bob", "b@example.com"), User(TaskType.CreateObject, Guid.NewGuid(), "carol", "c@example.com")],
            Token);
        Assert.All(results, r => Assert.Equal(ExternalTaskStatus.Queued, r.Status));
        await idle;

        await using (bus.Scope(out var db))
        {
            var rows = await db.Users.OrderBy(u => u.UserName).Select(u => new { u.UserName, u.Email, u.UserGuid }).ToListAsync(Token);
            Assert.Equal(["alice2", "bob", "carol"], rows.Select(r => r.UserName));
            Assert.Equal(["a@example.com", "b@example.com", "c@example.com"], rows.Select(r => r.Email));
            Assert.Equal(alice, rows[0].UserGuid);
        }

        Assert.DoesNotContain(bus.Signals.Seen, e => e.EventId == EventIds.IncomingBatchFailed);
        Assert.Equal(3, bus.Signals.Seen.Count(e => e.EventId == EventIds.IncomingApplied));
    }

    [Fact]
    public async Task Start_LookupPropertyWithoutIndex_WarnsOnceNamingEntityAndProperty()
    {
        await using var bus = await EfBus.StartAsync([Contacts()], ef => EfBus.DefaultEntities(ef.Object<Contact>("crm.contact")));

        var warnings = bus.Signals.Seen.Where(e => e.EventId == EntityIndexCheck.LookupWithoutIndexEventId).Select(e => ((string)e.State["Entity"]!, (string)e.State["Property"]!)).ToList();
        Assert.Single(warnings, w => w == ("Poll", "PollGuid"));
        Assert.Single(warnings, w => w == ("Poll", "PollCodeName"));
        Assert.Single(warnings, w => w == ("User", "UserGuid"));
        Assert.DoesNotContain(("User", "UserName"), warnings);        // unique index
        Assert.DoesNotContain(warnings, w => w.Item1 == "Contact");   // indexed GUID, no code name

        var contacts = bus.Bus.Connectors.OfType<JsonObjects>().Single();
        contacts.Types = bus.Bus.Types;
        await QueueAndDrainAsync(bus, [Change(TaskType.CreateObject, Guid.NewGuid(), "a@example.com"), Change(TaskType.CreateObject, Guid.NewGuid(), "b@example.com")]);
        Assert.Single(bus.Signals.Seen, e => e.EventId == EntityIndexCheck.LookupWithoutIndexEventId && Equals(e.State["Property"], "PollGuid"));
    }

    private static ExternalChange Change(TaskType taskType, Guid guid, string email, IncomingPolicy policy = IncomingPolicy.Default) =>
        new(JsonSerializer.SerializeToElement(new { ContactGuid = guid, Name = "Contact " + email, Email = email }), taskType, DataType.Simple, null, policy);

    private static ExternalChange User(TaskType taskType, Guid guid, string userName, string email) =>
        new(JsonSerializer.SerializeToElement(new { UserGuid = guid, UserName = userName, Email = email }), taskType, DataType.Simple);

    /// <summary>Queues the changes in one transaction (so one run reads them as one batch) and waits until the runner has processed them.</summary>
    private static async Task<IReadOnlyList<ExternalTaskResult>> QueueAndDrainAsync(EfBus bus, IReadOnlyList<ExternalChange> changes)
    {
        var idle = bus.NextIncomingIdleAsync("crm");
        var results = await bus.Bus.ProcessExternalTasksAsync("crm", changes, Token);
        Assert.All(results, r => Assert.Equal(ExternalTaskStatus.Queued, r.Status));
        await idle;
        return results;
    }

    private static async Task<EfBus> StartAsync()
    {
        var crm = Contacts();
        var bus = await EfBus.StartAsync([crm], ef => ef.Object<Contact>("crm.contact"));
        crm.Types = bus.Bus.Types;
        return bus;
    }

    private static JsonObjects Contacts(bool relay = false) => new("crm", "crm.contact", "ContactGuid", relay);

    /// <summary>Accepts each incoming JSON object as an object of one type: its GUID property parsed, every other one as its string.</summary>
    private sealed class JsonObjects(string name, string type, string guidField, bool relay = false) : Connector(name)
    {
        public ObjectTypeRegistry? Types { get; set; }

        public override bool RelayIncomingChanges => relay;

        protected override void Subscribe(SubscriptionBuilder subscriptions)
        {
        }

        protected override ValueTask<InternalObjectResult> PrepareInternalObjectAsync(object externalObject, TaskType taskType, DataType dataType, CancellationToken cancellationToken)
        {
            var obj = Types!.Create(type);
            foreach (var property in ((JsonElement)externalObject).EnumerateObject())
            {
                obj[property.Name] = property.Name == guidField ? property.Value.GetGuid() : property.Value.GetString();
            }

            return ValueTask.FromResult(InternalObjectResult.Accept(obj));
        }

        protected override Task<TaskResult> ProcessOutgoingAsync(OutgoingTask task, CancellationToken cancellationToken) =>
            Task.FromResult(TaskResult.SkipNow("kept for inspection"));
    }
}
