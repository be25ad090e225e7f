using IntegrationBus.Storage;
using Xunit;

namespace IntegrationBus.TestKit;

/// <summary>The facts of the ID map: written with the acknowledgement, forgotten by a delivered delete, found both ways, listed, set and deleted. Derive from <see cref="TaskStoreContract"/>.</summary>
public abstract class TaskStoreIdMapContract : TaskStoreOperatorContract
{
    [Fact]
    public async Task IdMap_InvalidArguments_ThrowBeforeTheStoreIsTouched()
    {
        var entry = new IdMapEntry { Connector = "crm", ObjectType = "crm.contact", ObjectGuid = Guid.NewGuid(), ExternalId = ExternalId.FromInt64(1), CreatedAt = Some.Epoch, UpdatedAt = Some.Epoch };

        await Assert.ThrowsAsync<ArgumentException>(() => Store.IdMap.FindByObjectsAsync(" ", [], Ct));
        await Assert.ThrowsAsync<ArgumentNullException>(() => Store.IdMap.FindByObjectsAsync("crm", null!, Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.IdMap.FindByExternalIdsAsync("crm", "", [], Ct));
        await Assert.ThrowsAsync<ArgumentNullException>(() => Store.IdMap.FindByExternalIdsAsync("crm", "crm.contact", null!, Ct));
        await Assert.ThrowsAsync<ArgumentNullException>(() => Store.IdMap.ListAsync(null!, Ct));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Store.IdMap.ListAsync(new IdMapQuery { Connector = "crm", Limit = 0 }, Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.IdMap.SetAsync(entry with { Connector = "" }, Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.IdMap.SetAsync(entry with { ObjectType = " " }, Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.IdMap.SetAsync(entry with { ExternalId = ExternalId.FromString("") }, Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.IdMap.DeleteAsync("crm", new IdMapKey("", entry.ObjectGuid), Ct));

        Assert.Empty(await Store.IdMap.ListAsync(new IdMapQuery { Connector = "crm" }, Ct));
    }


    [Fact]
    public async Task RecordAsync_OkWithExternalId_MapsTheTasksObject()
    {
        var crm = Some.Connector();
        var task = Some.Task(crm);
        var id = await AppendOneAsync(task);

        await RecordAsync(crm, Ok(id) with { ExternalId = 42L });

        var entry = Assert.Single(await Store.IdMap.FindByObjectsAsync(crm, [new IdMapKey(task.ObjectType, task.ObjectGuid!.Value)], Ct));
        Assert.Equal((crm, task.ObjectType, task.ObjectGuid.Value, task.ObjectId), (entry.Connector, entry.ObjectType, entry.ObjectGuid, entry.ObjectId));
        Assert.Equal((ExternalId.FromInt64(42), ExternalIdKind.Int64), (entry.ExternalId, entry.ExternalId.Kind));
        Assert.Equal((Time.GetUtcNow(), Time.GetUtcNow()), (entry.CreatedAt, entry.UpdatedAt));
        Assert.Empty(await FetchAllAsync(crm));
        Assert.Null(await PayloadAsync(id));
    }

    [Fact]
    public async Task RecordAsync_LaterOkWithAnotherExternalId_UpdatesEntryAndKeepsCreatedAt()
    {
        var crm = Some.Connector();
        var create = Some.Task(crm);
        await RecordAsync(crm, Ok(await AppendOneAsync(create)) with { ExternalId = "CRM-1" });
        var createdAt = Time.GetUtcNow();
        Time.Advance(TimeSpan.FromMinutes(5));

        await RecordAsync(crm, Ok(await AppendOneAsync(create with { Guid = Guid.NewGuid(), ObjectId = null })) with { ExternalId = "CRM-2" });

        var entry = Assert.Single(await Store.IdMap.ListAsync(new IdMapQuery { Connector = crm }, Ct));
        Assert.Equal((ExternalId.FromString("CRM-2"), create.ObjectId, createdAt, Time.GetUtcNow()), (entry.ExternalId, entry.ObjectId, entry.CreatedAt, entry.UpdatedAt));
        Assert.Empty(await Store.IdMap.FindByExternalIdsAsync(crm, create.ObjectType, ["CRM-1"], Ct));
        Assert.Equal(create.ObjectGuid, Assert.Single(await Store.IdMap.FindByExternalIdsAsync(crm, create.ObjectType, ["CRM-2", "CRM-2"], Ct)).ObjectGuid);
    }

    [Fact]
    public async Task RecordAsync_ForgetExternalId_RemovesOnlyThatConnectorsEntry()
    {
        var crm = Some.Connector();
        var erp = Some.Connector();
        var create = Some.Task(crm, erp);
        var id = await AppendOneAsync(create);
        await RecordAsync(crm, Ok(id) with { ExternalId = 7L });
        await RecordAsync(erp, Ok(id) with { ExternalId = Guid.Empty });
        var delete = create with { Guid = Guid.NewGuid(), TaskType = TaskType.DeleteObject };
        var deleteId = await AppendOneAsync(delete);

        await RecordAsync(crm, Ok(deleteId) with { ForgetExternalId = true });

        var key = new IdMapKey(create.ObjectType, create.ObjectGuid!.Value);
        Assert.Empty(await Store.IdMap.FindByObjectsAsync(crm, [key], Ct));
        var kept = Assert.Single(await Store.IdMap.FindByObjectsAsync(erp, [key], Ct));
        Assert.Equal((ExternalId.FromGuid(Guid.Empty), ExternalIdKind.Guid), (kept.ExternalId, kept.ExternalId.Kind));
    }

    [Fact]
    public async Task RecordAsync_ExternalIdAlreadyMappedToAnotherObject_MovesToTheNewObject()
    {
        var crm = Some.Connector();
        var first = Some.Task(crm);
        var second = Some.Task(crm);
        await RecordAsync(crm, Ok(await AppendOneAsync(first)) with { ExternalId = 5L });

        await RecordAsync(crm, Ok(await AppendOneAsync(second)) with { ExternalId = 5L });

        Assert.Equal([second.ObjectGuid!.Value], (await Store.IdMap.ListAsync(new IdMapQuery { Connector = crm }, Ct)).Select(e => e.ObjectGuid));
    }

    [Fact]
    public async Task RecordAsync_SeveralOutcomesForOneObjectInOneBatch_LastOneWins()
    {
        var crm = Some.Connector();
        var create = Some.Task(crm);
        var update = create with { Guid = Guid.NewGuid() };
        var delete = create with { Guid = Guid.NewGuid(), TaskType = TaskType.DeleteObject };
        var other = Some.Task(crm);
        var ids = await AppendAsync(create, update, delete, other, other with { Guid = Guid.NewGuid() });

        await RecordAsync(
            crm, TaskDirection.Outgoing,
            Ok(ids[0]) with { ExternalId = 1L }, Ok(ids[1]) with { ExternalId = 2L }, Ok(ids[2]) with { ForgetExternalId = true },
            Ok(ids[3]) with { ExternalId = "a" }, Ok(ids[4]) with { ExternalId = "b" });

        var entry = Assert.Single(await Store.IdMap.ListAsync(new IdMapQuery { Connector = crm }, Ct));
        Assert.Equal((other.ObjectGuid!.Value, ExternalId.FromString("b")), (entry.ObjectGuid, entry.ExternalId));
    }

    [Fact]
    public async Task RecordAsync_TaskWithoutObjectGuidOrNotOk_MapsNothingAndStillRecords()
    {
        var crm = Some.Connector();
        var ids = await AppendAsync(Some.Task(crm) with { ObjectGuid = null }, Some.Task(crm));

        await RecordAsync(crm, TaskDirection.Outgoing, Ok(ids[0]) with { ExternalId = 1L }, Error(ids[1], "refused", TimeSpan.FromMinutes(1)) with { ExternalId = 2L });

        Assert.Empty(await Store.IdMap.ListAsync(new IdMapQuery { Connector = crm }, Ct));
        Assert.Equal([ids[1]], (await FetchAllAsync(crm)).Select(t => t.Id));
    }

    [Fact]
    public async Task RecordAsync_StaleLease_MapsNothing()
    {
        var crm = Some.Connector();
        var id = await AppendOneAsync(Some.Task(crm));
        var stale = await LeaseAsync(crm);
        await Store.Leases.ReleaseAsync(stale, Ct);
        Assert.NotNull(await AcquireAsync(crm, Some.Owner()));

        Assert.False(await Store.Queue.RecordAsync(new RecordRequest { Lease = stale, Outcomes = [Ok(id) with { ExternalId = 1L }] }, Ct));

        Assert.Empty(await Store.IdMap.ListAsync(new IdMapQuery { Connector = crm }, Ct));
    }

    [Fact]
    public async Task ListAsync_FiltersAndPages_InEntryOrder()
    {
        var crm = Some.Connector();
        var objectType = Some.ObjectType();
        var guids = Enumerable.Range(0, 5).Select(_ => Guid.NewGuid()).ToList();
        for (var i = 0; i < guids.Count; i++)
        {
            await Store.IdMap.SetAsync(Entry(crm, i < 4 ? objectType : "other.type", guids[i], $"X-{i}"), Ct);
        }

        var first = await Store.IdMap.ListAsync(new IdMapQuery { Connector = crm, ObjectType = objectType, Limit = 3 }, Ct);
        var rest = await Store.IdMap.ListAsync(new IdMapQuery { Connector = crm, ObjectType = objectType, After = first[^1].Id, Limit = 3 }, Ct);

        Assert.Equal(guids[..4], first.Concat(rest).Select(e => e.ObjectGuid));
        Assert.True(first.Zip(first.Skip(1)).All(p => p.First.Id < p.Second.Id));
        Assert.Equal([guids[2]], (await Store.IdMap.ListAsync(new IdMapQuery { Connector = crm, ObjectGuid = guids[2] }, Ct)).Select(e => e.ObjectGuid));
        Assert.Equal([guids[4]], (await Store.IdMap.ListAsync(new IdMapQuery { Connector = crm, ExternalId = "X-4" }, Ct)).Select(e => e.ObjectGuid));
        Assert.Empty(await Store.IdMap.ListAsync(new IdMapQuery { Connector = Some.Connector() }, Ct));
    }

    [Fact]
    public async Task SetAsync_EveryKind_RoundTripsAndFindsBothWays()
    {
        var crm = Some.Connector();
        var objectType = Some.ObjectType();
        var guid = Guid.NewGuid();
        ExternalId[] ids = [ExternalId.FromInt64(-12), ExternalId.FromString("0012"), ExternalId.FromGuid(guid)];
        var entries = ids.Select(id => Entry(crm, objectType, Guid.NewGuid(), id)).ToList();
        foreach (var entry in entries)
        {
            await Store.IdMap.SetAsync(entry, Ct);
        }

        var found = await Store.IdMap.FindByObjectsAsync(crm, [.. entries.Select(e => e.Key), entries[0].Key, new IdMapKey(objectType, Guid.NewGuid())], Ct);

        Assert.Equal(ids.Select(i => (i.ToString(), i.Kind)).Order(), found.Select(e => (e.ExternalId.ToString(), e.ExternalId.Kind)).Order());
        var reverse = await Store.IdMap.FindByExternalIdsAsync(crm, objectType, ["-12", "0012", guid.ToString("D"), "12"], Ct);
        Assert.Equal(entries.Select(e => e.ObjectGuid).Order(), reverse.Select(e => e.ObjectGuid).Order());
        Assert.Empty(await Store.IdMap.FindByExternalIdsAsync(crm, "other.type", ["-12"], Ct));
    }

    [Fact]
    public async Task DeleteAsync_OneEntry_DeletesItOnce()
    {
        var crm = Some.Connector();
        var entry = Entry(crm, Some.ObjectType(), Guid.NewGuid(), 1L);
        await Store.IdMap.SetAsync(entry, Ct);

        Assert.True(await Store.IdMap.DeleteAsync(crm, entry.Key, Ct));
        Assert.False(await Store.IdMap.DeleteAsync(crm, entry.Key, Ct));
        Assert.False(await Store.IdMap.DeleteAsync(Some.Connector(), entry.Key, Ct));
        Assert.Empty(await Store.IdMap.FindByObjectsAsync(crm, [entry.Key], Ct));
    }

    [Fact]
    public async Task PurgeAsync_AnyCutOff_KeepsIdMapEntries()
    {
        var crm = Some.Connector();
        await RecordAsync(crm, Ok(await AppendOneAsync(Some.Task(crm))) with { ExternalId = 9L });
        Time.Advance(TimeSpan.FromDays(3650));
        var now = Time.GetUtcNow();

        await Store.Retention.PurgeAsync(new RetentionCutoffs { AttemptsBefore = now, FailedBefore = now, IdempotencyKeysBefore = now, HistoryBefore = now, AuditBefore = now }, Ct);

        Assert.Single(await Store.IdMap.ListAsync(new IdMapQuery { Connector = crm }, Ct));
    }

    private IdMapEntry Entry(string connector, string objectType, Guid guid, ExternalId externalId) => new()
    {
        Connector = connector,
        ObjectType = objectType,
        ObjectGuid = guid,
        ObjectId = 3,
        ExternalId = externalId,
        CreatedAt = Time.GetUtcNow(),
        UpdatedAt = Time.GetUtcNow(),
    };
}
