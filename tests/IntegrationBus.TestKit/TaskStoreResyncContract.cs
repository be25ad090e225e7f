using IntegrationBus.Storage;
using Xunit;

namespace IntegrationBus.TestKit;

/// <summary>The facts of resync jobs: created running, claimed by one node until expiry, advanced batch by batch with their tasks atomically, finished, cancelled. Derive from <see cref="TaskStoreContract"/>.</summary>
public abstract class TaskStoreResyncContract : TaskStoreBlockedKeyContract
{
    [Fact]
    public async Task Resyncs_InvalidArguments_ThrowBeforeTheStoreIsTouched()
    {
        var job = new ResyncJob { Connector = "crm", CreatedAt = Some.Epoch, UpdatedAt = Some.Epoch };
        var batch = new ResyncBatch { JobId = 1, Node = "node", CursorType = "crm.contact", Tasks = [], Now = Some.Epoch, ClaimDuration = TimeSpan.FromMinutes(1) };

        await Assert.ThrowsAsync<ArgumentNullException>(() => Store.Resyncs.CreateAsync(null!, Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.Resyncs.CreateAsync(job with { Connector = " " }, Ct));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Store.Resyncs.ListAsync(null, 0, Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.Resyncs.ClaimAsync("", TimeSpan.FromMinutes(1), Some.Epoch, Ct));
        await Assert.ThrowsAsync<ArgumentNullException>(() => Store.Resyncs.RecordBatchAsync(null!, null, Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.Resyncs.RecordBatchAsync(batch with { Node = " " }, null, Ct));
        await Assert.ThrowsAsync<ArgumentNullException>(() => Store.Resyncs.RecordBatchAsync(batch with { Tasks = null! }, null, Ct));

        Assert.Empty(await Store.Resyncs.ListAsync(null, 10, Ct));
    }


    [Fact]
    public async Task CreateAsync_NewJob_IsRunningAndListedNewestFirst()
    {
        var crm = Some.Connector();
        var first = await CreateJobAsync(crm);
        var second = await CreateJobAsync(crm, "shop.%", Some.Epoch.AddDays(-1));

        Assert.True(second.Id > first.Id);
        Assert.Equal(
            (crm, "shop.%", Some.Epoch.AddDays(-1), ResyncJobState.Running, (string?)null, (long?)null, 0L, "alice", (DateTimeOffset?)null),
            (second.Connector, second.TypeFilter, second.Since, second.State, second.CursorType, second.CursorId, second.Queued, second.StartedBy, second.CompletedAt));
        Assert.Equal(second, await Store.Resyncs.GetAsync(second.Id, Ct));
        Assert.Null(await Store.Resyncs.GetAsync(second.Id + 1000, Ct));
        var listed = await Store.Resyncs.ListAsync(null, 10, Ct);
        Assert.Equal([second.Id, first.Id], listed.Select(j => j.Id).Where(id => id == first.Id || id == second.Id));
        Assert.Equal([first.Id], (await Store.Resyncs.ListAsync(second.Id, 10, Ct)).Select(j => j.Id).Where(id => id == first.Id));
    }

    [Fact]
    public async Task ClaimAsync_HeldByAnotherNode_FreeAgainOnlyAfterTheClaimExpires()
    {
        var job = await CreateJobAsync(Some.Connector());
        var first = Some.Owner();
        var second = Some.Owner();

        Assert.Equal(job.Id, (await ClaimAsync(first))?.Id);
        Assert.Null(await ClaimAsync(second));
        Assert.Equal(job.Id, (await ClaimAsync(first))?.Id);
        await AdvanceAsync(LeaseDuration + TimeSpan.FromSeconds(1));

        Assert.Equal(job.Id, (await ClaimAsync(second))?.Id);
        Assert.False(await RecordAsync(job.Id, first, "a.type", 5, Some.Task(job.Connector)));
        Assert.True(await RecordAsync(job.Id, second, "a.type", 5, Some.Task(job.Connector)));
    }

    [Fact]
    public async Task RecordBatchAsync_Claimed_AppendsTasksAndAdvancesCursorAndCount()
    {
        var crm = Some.Connector();
        var job = await CreateJobAsync(crm);
        var node = Some.Owner();
        await ClaimAsync(node);
        Time.Advance(TimeSpan.FromSeconds(3));

        Assert.True(await RecordAsync(job.Id, node, "shop.product", 17, Some.Task(crm), Some.Task(crm)));
        Assert.True(await RecordAsync(job.Id, node, "shop.product", 40, Some.Task(crm)));
        Assert.True(await RecordAsync(job.Id, node, "shop.review", null));

        var stored = await Store.Resyncs.GetAsync(job.Id, Ct);
        Assert.Equal(("shop.review", (long?)null, 3L, Time.GetUtcNow(), ResyncJobState.Running), (stored!.CursorType, stored.CursorId, stored.Queued, stored.UpdatedAt, stored.State));
        Assert.Equal(3, (await FetchAllAsync(crm)).Count);
    }

    [Fact]
    public async Task RecordBatchAsync_CancelledOrNotClaimed_WritesNothing()
    {
        var crm = Some.Connector();
        var job = await CreateJobAsync(crm);
        var node = Some.Owner();

        Assert.False(await RecordAsync(job.Id, node, "shop.product", 1, Some.Task(crm)));
        await ClaimAsync(node);
        Assert.True(await Store.Resyncs.CancelAsync(job.Id, Time.GetUtcNow(), Ct));
        Assert.False(await Store.Resyncs.CancelAsync(job.Id, Time.GetUtcNow(), Ct));
        Assert.False(await RecordAsync(job.Id, node, "shop.product", 1, Some.Task(crm)));

        var stored = await Store.Resyncs.GetAsync(job.Id, Ct);
        Assert.Equal((ResyncJobState.Cancelled, (string?)null, 0L, (DateTimeOffset?)Time.GetUtcNow()), (stored!.State, stored.CursorType, stored.Queued, stored.CompletedAt));
        Assert.Empty(await FetchAllAsync(crm));
        Assert.Null(await ClaimAsync(node));
    }

    [Fact]
    public async Task FinishAsync_ByTheClaimingNode_EndsTheJobWithItsState()
    {
        var completed = await CreateJobAsync(Some.Connector());
        var failed = await CreateJobAsync(Some.Connector());
        var node = Some.Owner();
        await ClaimAsync(node);
        Assert.False(await Store.Resyncs.FinishAsync(completed.Id, Some.Owner(), ResyncJobState.Completed, null, Time.GetUtcNow(), Ct));
        Assert.True(await Store.Resyncs.FinishAsync(completed.Id, node, ResyncJobState.Completed, null, Time.GetUtcNow(), Ct));
        Assert.Equal(failed.Id, (await ClaimAsync(node))?.Id);
        Assert.True(await Store.Resyncs.FinishAsync(failed.Id, node, ResyncJobState.Failed, "type gone", Time.GetUtcNow(), Ct));

        Assert.Equal(ResyncJobState.Completed, (await Store.Resyncs.GetAsync(completed.Id, Ct))!.State);
        var stored = await Store.Resyncs.GetAsync(failed.Id, Ct);
        Assert.Equal((ResyncJobState.Failed, "type gone"), (stored!.State, stored.Error));
        Assert.Null(await ClaimAsync(node));
    }

    private Task<ResyncJob> CreateJobAsync(string connector, string? typeFilter = null, DateTimeOffset? since = null) =>
        Store.Resyncs.CreateAsync(
            new ResyncJob { Connector = connector, TypeFilter = typeFilter, Since = since, CreatedAt = Time.GetUtcNow(), UpdatedAt = Time.GetUtcNow(), StartedBy = "alice" },
            Ct);

    private Task<ResyncJob?> ClaimAsync(string node) => Store.Resyncs.ClaimAsync(node, LeaseDuration, Time.GetUtcNow(), Ct);

    private Task<bool> RecordAsync(long jobId, string node, string cursorType, long? cursorId, params NewIntegrationTask[] tasks) =>
        Store.Resyncs.RecordBatchAsync(
            new ResyncBatch { JobId = jobId, Node = node, CursorType = cursorType, CursorId = cursorId, Tasks = tasks, Now = Time.GetUtcNow(), ClaimDuration = LeaseDuration },
            null,
            Ct);
}
