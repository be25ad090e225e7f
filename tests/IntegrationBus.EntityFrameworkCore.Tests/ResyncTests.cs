using IntegrationBus.Diagnostics;
using IntegrationBus.EntityFrameworkCore.Tests.Support;
using IntegrationBus.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace IntegrationBus.EntityFrameworkCore.Tests;

public sealed class ResyncTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task StartAsync_ExistingRowsWithLiveUpdates_EveryObjectsLastDeliveredVersionIsItsLatest()
    {
        // The check: many existing rows reach a new connector while live updates to some of them run.
        const int Rows = 100_000;
        var crm = new Recorder("crm", s => s.Objects("cms.user", SubscriptionMode.AsyncSimple));
        await using var bus = await EfBus.StartAsync([crm]);
        await InsertUsersAsync(bus, Rows);
        var completed = bus.Signals.NextAsync(EventIds.ResyncCompleted, _ => true, TimeSpan.FromMinutes(2));

        var job = await bus.Management.Resyncs.StartAsync("crm", "cms.%", actor: "alice", cancellationToken: Ct);
        var live = 0;
        for (var round = 1; !completed.IsCompleted || round <= 3; round++)
        {
            for (var user = 1; user <= Rows; user += Rows / 40)
            {
                await using var scope = bus.Scope(out var db);
                var row = await db.Users.SingleAsync(u => u.UserId == user, Ct);
                row.Email = $"v{round}";
                await db.SaveChangesAsync(Ct);
                live++;
            }
        }

        await completed;
        var done = await bus.Management.Resyncs.GetAsync(job.Id, Ct);
        Assert.Equal((ResyncJobState.Completed, (long)Rows), (done!.State, done.Queued));
        await crm.WaitForAsync(Rows + live).WaitAsync(TimeSpan.FromMinutes(2), Ct);
        var delivered = new Dictionary<long, string?>();
        foreach (var task in crm.Tasks)
        {
            delivered[task.Object.Id] = task.Object.GetString("Email");
        }

        await using var check = bus.Scope(out var source);
        var latest = await source.Users.ToDictionaryAsync(u => (long)u.UserId, u => u.Email, Ct);
        Assert.Equal(Rows, delivered.Count);
        Assert.All(latest, row => Assert.Equal(row.Value, delivered[row.Key]));
        Assert.Equal(Rows + live, crm.Tasks.Count);
    }

    [Fact]
    public async Task StartAsync_TypeFilter_QueuesOneUpdatePerMatchingObjectForThatConnectorOnly()
    {
        var crm = new Recorder("crm", s => s.AllObjects(SubscriptionMode.AsyncSimpleSnapshot));
        var erp = new Recorder("erp", s => s.AllObjects(SubscriptionMode.AsyncSimple));
        await using var bus = await EfBus.StartAsync([crm, erp], processing: false);
        await InsertUsersAsync(bus, 30);
        await InsertRolesAsync(bus, 5);
        var completed = bus.Signals.NextAsync(EventIds.ResyncCompleted, _ => true);

        var job = await bus.Management.Resyncs.StartAsync("crm", "cms.user", cancellationToken: Ct);
        await completed;

        var queue = await bus.QueueAsync("crm");
        Assert.Equal(30, queue.Count);
        Assert.All(queue, t => Assert.Equal((TaskType.UpdateObject, DataType.SimpleSnapshot, "cms.user"), (t.Task.TaskType, t.Task.DataType, t.Task.ObjectType)));
        Assert.Equal(Enumerable.Range(1, 30).Select(i => (long?)i), queue.Select(t => t.Task.ObjectId).Order());
        Assert.Empty(await bus.QueueAsync("erp"));
        Assert.Equal((ResyncJobState.Completed, 30L), ((await bus.Management.Resyncs.GetAsync(job.Id, Ct))!.State, (await bus.Management.Resyncs.GetAsync(job.Id, Ct))!.Queued));
    }

    [Fact]
    public async Task StartAsync_SinceAndSiteFilter_QueuesOnlyRowsModifiedSinceInTheSubscribedSite()
    {
        var shop = new Recorder("shop", s => s.AllObjects(SubscriptionMode.AsyncSimple, site: "main"));
        await using var bus = await EfBus.StartAsync([shop], ProductEntities, processing: false);
        var since = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        await using (var scope = bus.Scope(out var db))
        {
            db.Products.AddRange(
                new Product { Name = "old", SiteName = "main", UpdatedAt = since.UtcDateTime.AddDays(-1) },
                new Product { Name = "new", SiteName = "main", UpdatedAt = since.UtcDateTime.AddDays(1) },
                new Product { Name = "exact", SiteName = "main", UpdatedAt = since.UtcDateTime },
                new Product { Name = "other site", SiteName = "outlet", UpdatedAt = since.UtcDateTime.AddDays(1) });
            await db.SaveChangesAsync(Ct);
        }

        await bus.Management.DeleteTasksAsync(new TaskQuery { Connector = "shop" }, cancellationToken: Ct);
        var completed = bus.Signals.NextAsync(EventIds.ResyncCompleted, _ => true);
        await bus.Management.Resyncs.StartAsync("shop", since: since, cancellationToken: Ct);
        await completed;

        Assert.Equal(["exact", "new"], (await bus.QueueAsync("shop")).Select(t => t.Task.ObjectDisplayName ?? t.Task.ObjectCodeName).Order());
    }

    [Fact]
    public async Task StartAsync_SinceOnTypeWithoutLastModified_ThrowsNamingTheType()
    {
        var crm = new Recorder("crm", s => s.AllObjects(SubscriptionMode.AsyncSimple));
        await using var bus = await EfBus.StartAsync([crm], processing: false);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => bus.Management.Resyncs.StartAsync("crm", "cms.user", DateTimeOffset.UnixEpoch, cancellationToken: Ct));

        Assert.Contains("'cms.user' has no last-modified property", error.Message, StringComparison.Ordinal);
        Assert.Empty(await bus.Management.Resyncs.ListAsync(cancellationToken: Ct));
    }

    [Fact]
    public async Task WorkOnceAsync_JobLeftByACrashedNode_ResumesAfterItsCursorWithNothingDoubled()
    {
        var crm = new Recorder("crm", s => s.Objects("cms.user", SubscriptionMode.AsyncSimple));
        await using var bus = await EfBus.StartAsync([crm], processing: false, configure: b => b.Configure(o => o.LeaseDuration = TimeSpan.FromMilliseconds(100)));
        await InsertUsersAsync(bus, 1200);
        var now = DateTimeOffset.UtcNow;
        var job = await bus.Store.Resyncs.CreateAsync(new ResyncJob { Connector = "crm", CreatedAt = now, UpdatedAt = now }, Ct);

        // A node that crashed after its first batch (IDs 1 to 500) committed; its claim expires.
        Assert.Equal(job.Id, (await bus.Store.Resyncs.ClaimAsync("crashed", TimeSpan.Zero, now, Ct))?.Id);
        var firstBatch = Enumerable.Range(1, 500).Select(i => Some.Task("crm") with { ObjectType = "cms.user", ObjectId = i }).ToList();
        Assert.True(await bus.Store.Resyncs.RecordBatchAsync(
            new ResyncBatch { JobId = job.Id, Node = "crashed", CursorType = "cms.user", CursorId = 500, Tasks = firstBatch, Now = now, ClaimDuration = TimeSpan.Zero }, null, Ct));
        var completed = bus.Signals.NextAsync(EventIds.ResyncCompleted, _ => true);
        bus.Services.GetRequiredService<ResyncWorker>().Signal.Set();
        await completed;

        var ids = (await ListAllAsync(bus, "crm")).Select(t => t.Task.ObjectId!.Value).Order().ToList();
        Assert.Equal(Enumerable.Range(1, 1200).Select(i => (long)i), ids);
        Assert.Equal(1200, (await bus.Management.Resyncs.GetAsync(job.Id, Ct))!.Queued);
    }

    [Fact]
    public async Task CancelAsync_RunningJob_StopsItAndIsAudited()
    {
        var crm = new Recorder("crm", s => s.Objects("cms.user", SubscriptionMode.AsyncSimple));
        await using var bus = await EfBus.StartAsync([crm], processing: false);
        var now = DateTimeOffset.UtcNow;
        var job = await bus.Store.Resyncs.CreateAsync(new ResyncJob { Connector = "crm", CreatedAt = now, UpdatedAt = now }, Ct);
        await bus.Store.Resyncs.ClaimAsync("elsewhere", TimeSpan.FromHours(1), now, Ct);

        Assert.True(await bus.Management.Resyncs.CancelAsync(job.Id, "bob", Ct));
        Assert.False(await bus.Management.Resyncs.CancelAsync(job.Id, "bob", Ct));

        Assert.Equal(ResyncJobState.Cancelled, (await bus.Management.Resyncs.GetAsync(job.Id, Ct))!.State);
        var audit = await bus.Management.ListAuditAsync(new AuditQuery { Limit = 10 }, Ct);
        Assert.Contains(audit, a => a.Action == Management.ManagementActions.CancelResync && a.Actor == "bob");
    }

    private static void ProductEntities(BusEntitiesBuilder ef) => ef.Object<Product>("shop.product", p => p.DisplayName(x => x.Name).LastModified(x => x.UpdatedAt));

    private static async Task<List<TaskSummary>> ListAllAsync(EfBus bus, string connector)
    {
        var all = new List<TaskSummary>();
        TaskPosition? after = null;
        while (true)
        {
            var page = await bus.Management.ListTasksAsync(new TaskQuery { Connector = connector, Limit = 1000, After = after }, Ct);
            all.AddRange(page.Items);
            if (page.Next is not { } next)
            {
                return all;
            }

            after = next;
        }
    }

    private static async Task InsertUsersAsync(EfBus bus, int count)
    {
        // Existing rows, written around the bus (no tasks), as before a connector was added.
        await using var scope = bus.Scope(out var db);
        await db.Database.ExecuteSqlRawAsync(
            """
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {0})
            INSERT INTO Users (UserId, UserGuid, UserName, Email)
            SELECT i, upper(substr(h, 1, 8) || '-' || substr(h, 9, 4) || '-' || substr(h, 13, 4) || '-' || substr(h, 17, 4) || '-' || substr(h, 21, 12)), 'user' || i, 'v0'
            FROM (SELECT i, hex(randomblob(16)) AS h FROM n);
            """,
            [count],
            Ct);
    }

    private static async Task InsertRolesAsync(EfBus bus, int count)
    {
        await using var scope = bus.Scope(out var db);
        await db.Database.ExecuteSqlRawAsync(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {0}) INSERT INTO Roles (RoleId, RoleGuid, RoleName) SELECT i, upper(hex(randomblob(4)) || '-0000-4000-8000-' || hex(randomblob(6))), 'role' || i FROM n;",
            [count],
            Ct);
    }
}
