using IntegrationBus.Storage;
using Xunit;

namespace IntegrationBus.TestKit;

/// <summary>The facts of blocked keys (per-object ordering): listed with head and waiting count, paged, counted and released. Derive from <see cref="TaskStoreContract"/>.</summary>
public abstract class TaskStoreBlockedKeyContract : TaskStoreIdMapContract
{
    [Fact]
    public async Task BlockedKeys_InvalidArguments_ThrowBeforeTheStoreIsTouched()
    {
        await Assert.ThrowsAsync<ArgumentNullException>(() => Store.BlockedKeys.ListAsync(null!, Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.BlockedKeys.ListAsync(new BlockedKeyQuery { Connector = " " }, Ct));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Store.BlockedKeys.ListAsync(new BlockedKeyQuery { Connector = "crm", Limit = 0 }, Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.BlockedKeys.FindAsync("", TaskDirection.Outgoing, "k", Ct));
        await Assert.ThrowsAsync<ArgumentNullException>(() => Store.BlockedKeys.FindAsync("crm", TaskDirection.Outgoing, null!, Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.BlockedKeys.ReleaseAsync(" ", TaskDirection.Outgoing, "k", Ct));
        await Assert.ThrowsAsync<ArgumentNullException>(() => Store.BlockedKeys.ReleaseAsync("crm", TaskDirection.Outgoing, null!, Ct));
    }


    [Fact]
    public async Task BlockedKeysListAsync_ParkedKeyedTasks_ListsEachKeyWithItsHeadAndWaitingCount()
    {
        var crm = Some.Connector();
        var head = Some.Task(crm) with { OrderingKeys = ["k1"] };
        var ids = await AppendAsync(
            head, Some.Task(crm) with { OrderingKeys = ["k1"] }, Some.Task(crm) with { OrderingKeys = ["k1"] }, Some.Task(crm) with { OrderingKeys = ["k2"] });
        await RecordAsync(crm, Error(ids[0], "CRM refused the contact", TimeSpan.FromMinutes(1), park: true));
        Time.Advance(TimeSpan.FromMinutes(1));
        await RecordAsync(crm, Error(ids[2], "later failure", TimeSpan.FromMinutes(1), park: true));
        await RecordAsync(crm, Error(ids[3], "k2 failure", TimeSpan.FromMinutes(1), park: true));

        var keys = await Store.BlockedKeys.ListAsync(new BlockedKeyQuery { Connector = crm }, Ct);

        Assert.Equal([("k1", ids[0], 2L), ("k2", ids[3], 0L)], keys.Select(k => (k.Key, k.Head.Id, k.Waiting)));
        var k1 = keys[0];
        var summary = await SummaryAsync(ids[0], crm);
        Assert.Equal((crm, TaskDirection.Outgoing, head.Guid, head.ObjectType, head.ObjectId, head.TaskType), (k1.Connector, k1.Direction, k1.Head.Guid, k1.Head.ObjectType, k1.Head.ObjectId, k1.Head.TaskType));
        Assert.Equal(("CRM refused the contact", summary.Synchronization.Attempts, Some.Epoch), (k1.LastError, k1.Attempts, k1.LastRunAt));
        Assert.True(k1.Attempts > 0);
    }

    [Fact]
    public async Task BlockedKeysListAsync_PageOfKeysWithInterleavedTasks_CountsOnlyEachKeysOwnTasksAfterItsHead()
    {
        // One pass counts the whole page: rows of other keys, of other connectors, and a key's rows before its head must not count.
        var crm = Some.Connector();
        var erp = Some.Connector();
        string[] keys = ["a", "a:b", "b", "0:a"];
        var released = await AppendOneAsync(Some.Task(crm) with { OrderingKeys = ["b"] });
        await RecordAsync(crm, Error(released, "released", TimeSpan.FromMinutes(1), park: true));
        await Store.BlockedKeys.ReleaseAsync(crm, TaskDirection.Outgoing, "b", Ct);
        await AppendOneAsync(Some.Task(crm) with { OrderingKeys = ["b"] }); // pending, before b's head
        var heads = await AppendAsync([.. keys.Select(k => Some.Task(crm, erp) with { OrderingKeys = [k, k] })]);
        foreach (var head in heads)
        {
            await RecordAsync(crm, Error(head, "failed", TimeSpan.FromMinutes(1), park: true));
        }

        int[] later = [3, 1, 2, 0];
        var laterTasks = Enumerable.Range(0, 4).SelectMany(round => keys.Where((_, i) => later[i] > round).Select(k => Some.Task(crm, erp) with { OrderingKeys = [k, k] }));
        await AppendAsync([.. laterTasks, Some.Task(crm) with { OrderingKeys = ["c"] }, Some.Task(crm)]);

        var page = await Store.BlockedKeys.ListAsync(new BlockedKeyQuery { Connector = crm, Limit = 3 }, Ct);
        var next = await Store.BlockedKeys.ListAsync(new BlockedKeyQuery { Connector = crm, After = page[^1].Key }, Ct);

        Assert.Equal([("0:a", heads[3], 0L), ("a", heads[0], 3L), ("a:b", heads[1], 1L)], page.Select(k => (k.Key, k.Head.Id, k.Waiting)));
        Assert.Equal([("b", heads[2], 2L)], next.Select(k => (k.Key, k.Head.Id, k.Waiting)));
        Assert.Equal(2L, (await Store.BlockedKeys.FindAsync(crm, TaskDirection.Outgoing, "b", Ct))?.Waiting);
        Assert.Empty(await Store.BlockedKeys.ListAsync(new BlockedKeyQuery { Connector = erp }, Ct));
    }

    [Fact]
    public async Task BlockedKeysListAsync_UnkeyedErroredAndOtherConnectorsRows_AreNotListed()
    {
        var crm = Some.Connector();
        var erp = Some.Connector();
        var ids = await AppendAsync(
            Some.Task(crm), Some.Task(crm) with { OrderingKeys = ["errored"] }, Some.Task(crm) with { OrderingKeys = ["skipped"] },
            Some.Task(crm, erp) with { OrderingKeys = [null, "erp-key"] });
        await RecordAsync(crm, Error(ids[0], "unkeyed", TimeSpan.FromMinutes(1), park: true));
        await RecordAsync(crm, Error(ids[1], "errored", TimeSpan.FromMinutes(1)));
        await RecordAsync(crm, Skip(ids[2], "skipped"));
        await RecordAsync(crm, Error(ids[3], "unkeyed for crm", TimeSpan.FromMinutes(1), park: true));
        await RecordAsync(erp, Error(ids[3], "erp", TimeSpan.FromMinutes(1), park: true));

        Assert.Empty(await Store.BlockedKeys.ListAsync(new BlockedKeyQuery { Connector = crm }, Ct));
        Assert.Equal(["erp-key"], (await Store.BlockedKeys.ListAsync(new BlockedKeyQuery { Connector = erp }, Ct)).Select(k => k.Key));
        Assert.Empty(await Store.BlockedKeys.ListAsync(new BlockedKeyQuery { Connector = erp, Direction = TaskDirection.Incoming }, Ct));
        Assert.Empty(await Store.BlockedKeys.ListAsync(new BlockedKeyQuery { Connector = Some.Connector() }, Ct));
        var counts = await Store.BlockedKeys.CountAsync(Ct);
        Assert.False(counts.ContainsKey(Some.Queue(crm)));
        Assert.Equal(1, counts[Some.Queue(erp)]);
    }

    [Fact]
    public async Task BlockedKeysListAsync_Paged_ReadsEveryKeyOnceInKeyOrder()
    {
        var crm = Some.Connector();
        string[] names = ["b", "a", "é", "c/ d", "B", "a b"];
        var ids = await AppendAsync([.. names.Select(k => Some.Task(crm) with { OrderingKeys = [k] })]);
        foreach (var id in ids)
        {
            await RecordAsync(crm, Error(id, "failed", TimeSpan.FromMinutes(1), park: true));
        }

        var read = new List<string>();
        string? after = null;
        for (var page = 0; page < 10; page++)
        {
            var keys = await Store.BlockedKeys.ListAsync(new BlockedKeyQuery { Connector = crm, After = after, Limit = 4 }, Ct);
            read.AddRange(keys.Select(k => k.Key));
            if (keys.Count < 4)
            {
                break;
            }

            after = keys[^1].Key;
        }

        Assert.Equal(names.Order(StringComparer.Ordinal), read);
        Assert.Equal(6, (await Store.BlockedKeys.CountAsync(Ct))[Some.Queue(crm)]);
    }

    [Fact]
    public async Task BlockedKeysReleaseAsync_BlockedKey_ReleasesOnlyTheHeadWhichStaysFailed()
    {
        var crm = Some.Connector();
        var ids = await AppendAsync(Some.Task(crm) with { OrderingKeys = ["k"] }, Some.Task(crm) with { OrderingKeys = ["k"] }, Some.Task(crm) with { OrderingKeys = ["k"] });
        await RecordAsync(crm, Error(ids[0], "first", TimeSpan.FromMinutes(1), park: true));

        Assert.Equal(ids[0], await Store.BlockedKeys.ReleaseAsync(crm, TaskDirection.Outgoing, "k", Ct));

        Assert.Empty(await Store.BlockedKeys.ListAsync(new BlockedKeyQuery { Connector = crm }, Ct));
        Assert.Null(await Store.BlockedKeys.FindAsync(crm, TaskDirection.Outgoing, "k", Ct));
        Assert.Null(await Store.BlockedKeys.ReleaseAsync(crm, TaskDirection.Outgoing, "k", Ct));
        Assert.Equal(SynchronizationStatus.Failed, (await SummaryAsync(ids[0], crm)).Synchronization.Status);

        await RecordAsync(crm, Error(ids[2], "later", TimeSpan.FromMinutes(1), park: true));

        var blocked = Assert.Single(await Store.BlockedKeys.ListAsync(new BlockedKeyQuery { Connector = crm }, Ct));
        Assert.Equal((ids[2], 0L), (blocked.Head.Id, blocked.Waiting));
        Assert.Equal(ids[2], (await Store.BlockedKeys.FindAsync(crm, TaskDirection.Outgoing, "k", Ct))?.Head.Id);
    }

    [Fact]
    public async Task BlockedKeysReleaseAsync_KeyNotBlockedOrOtherDirection_ChangesNothing()
    {
        var crm = Some.Connector();
        var id = await AppendOneAsync(Some.Task(crm) with { OrderingKeys = ["k"] });
        await RecordAsync(crm, Error(id, "failed", TimeSpan.FromMinutes(1), park: true));

        Assert.Null(await Store.BlockedKeys.ReleaseAsync(crm, TaskDirection.Outgoing, "K", Ct));
        Assert.Null(await Store.BlockedKeys.ReleaseAsync(crm, TaskDirection.Incoming, "k", Ct));
        Assert.Null(await Store.BlockedKeys.ReleaseAsync(Some.Connector(), TaskDirection.Outgoing, "k", Ct));

        Assert.Equal(id, (await Store.BlockedKeys.FindAsync(crm, TaskDirection.Outgoing, "k", Ct))?.Head.Id);
    }

    [Fact]
    public async Task RetryAsync_ReleasedHeadParkedAgain_BlocksItsKeyAgain()
    {
        var crm = Some.Connector();
        var id = await AppendOneAsync(Some.Task(crm) with { OrderingKeys = ["k"] });
        await RecordAsync(crm, Error(id, "failed", TimeSpan.FromMinutes(1), park: true));
        await Store.BlockedKeys.ReleaseAsync(crm, TaskDirection.Outgoing, "k", Ct);

        Assert.Equal(1, await Store.Management.RetryAsync(id, crm, Ct));
        await RecordAsync(crm, Error(id, "failed again", TimeSpan.FromMinutes(1), park: true));

        var blocked = Assert.Single(await Store.BlockedKeys.ListAsync(new BlockedKeyQuery { Connector = crm }, Ct));
        Assert.Equal((id, "failed again"), (blocked.Head.Id, blocked.LastError));
    }

    [Fact]
    public async Task DeleteAsync_BlockedHead_UnblocksItsKey()
    {
        var crm = Some.Connector();
        var ids = await AppendAsync(Some.Task(crm) with { OrderingKeys = ["k"] }, Some.Task(crm) with { OrderingKeys = ["k"] });
        await RecordAsync(crm, Error(ids[0], "failed", TimeSpan.FromMinutes(1), park: true));

        Assert.Equal(1, await Store.Management.DeleteAsync(ids[0], crm, Ct));

        Assert.Empty(await Store.BlockedKeys.ListAsync(new BlockedKeyQuery { Connector = crm }, Ct));
        Assert.False((await Store.BlockedKeys.CountAsync(Ct)).ContainsKey(Some.Queue(crm)));
    }
}
