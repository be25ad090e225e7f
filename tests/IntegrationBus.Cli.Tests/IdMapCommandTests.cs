using System.Text.Json;
using IntegrationBus.Storage;

namespace IntegrationBus.Cli.Tests;

/// <summary><c>ibus idmap list|delete</c> over the store and over the management API.</summary>
public sealed class IdMapCommandTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task List_OverStoreAndUrl_SameJsonPagedAndFiltered()
    {
        await using var store = await SeededStore.CreateAsync();
        var guids = await SeedAsync(store, 42L, "CRM-7", Guid.Parse("3f2504e0-4f89-11d3-9a0c-0305e82c3301"));
        await using var app = await ManagementApp.StartAsync(store.Path);

        var overStore = await Ibus.RunOkAsync(store.Args("idmap", "list", "crm", "--limit", "2", "--json"));
        var overHttp = await Ibus.RunOkAsync(app.Args(ManagementApp.ViewerToken, "idmap", "list", "crm", "--limit", "2", "--json"));
        var page = JsonDocument.Parse(overStore.Output).RootElement;
        var rest = await Ibus.JsonAsync(store.Args("idmap", "list", "crm", "--after", page.GetProperty("next").GetString()!));
        var byExternalId = await Ibus.JsonAsync(app.Args(ManagementApp.ViewerToken, "idmap", "list", "crm", "--external-id", "CRM-7", "--type", "test.contact"));

        Assert.Equal(overStore.Output, overHttp.Output);
        Assert.Equal([("42", "Int64"), ("CRM-7", "String")], page.GetProperty("items").EnumerateArray().Select(e => (e.GetProperty("externalId").GetString(), e.GetProperty("externalIdKind").GetString())));
        Assert.Equal([guids[2]], rest.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("objectGuid").GetGuid()));
        Assert.Equal(JsonValueKind.Null, rest.GetProperty("next").ValueKind);
        Assert.Equal([guids[1]], byExternalId.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("objectGuid").GetGuid()));
    }

    [Fact]
    public async Task List_Table_RowsUnderAHeader()
    {
        await using var store = await SeededStore.CreateAsync();
        var guids = await SeedAsync(store, 42L);

        var result = await Ibus.RunOkAsync(store.Args("idmap", "list", "crm"));

        Assert.StartsWith("ID", result.Output, StringComparison.Ordinal);
        Assert.Contains(guids[0].ToString("D"), result.Output, StringComparison.Ordinal);
        Assert.Contains("Int64", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Delete_OverUrlThenOverStore_DeletesOnceThenExitsOne()
    {
        await using var store = await SeededStore.CreateAsync();
        var guids = await SeedAsync(store, 1L, 2L);
        await using var app = await ManagementApp.StartAsync(store.Path);

        await Ibus.RunOkAsync(app.Args(ManagementApp.OperatorToken, "idmap", "delete", "crm", "test.contact", guids[0].ToString()));
        var again = await Ibus.RunAsync(store.Args("idmap", "delete", "crm", "test.contact", guids[0].ToString()));
        var forbidden = await Ibus.RunAsync(app.Args(ManagementApp.ViewerToken, "idmap", "delete", "crm", "test.contact", guids[1].ToString()));

        Assert.Equal(1, again.ExitCode);
        Assert.Contains("Nothing deleted", again.Error, StringComparison.Ordinal);
        Assert.NotEqual(0, forbidden.ExitCode);
        Assert.Equal([guids[1]], (await store.Store.IdMap.ListAsync(new IdMapQuery { Connector = "crm" }, Ct)).Select(e => e.ObjectGuid));
        var audit = (await store.Store.Management.ListAuditAsync(new AuditQuery(), Ct)).Single();
        Assert.Equal(("idmap.delete", "ops"), (audit.Action, audit.Actor));
    }

    private static async Task<List<Guid>> SeedAsync(SeededStore store, params ExternalId[] externalIds)
    {
        var guids = new List<Guid>();
        foreach (var id in externalIds)
        {
            var guid = Guid.NewGuid();
            guids.Add(guid);
            await store.Store.IdMap.SetAsync(
                new IdMapEntry { Connector = "crm", ObjectType = "test.contact", ObjectGuid = guid, ObjectId = 9, ExternalId = id, CreatedAt = DateTimeOffset.UnixEpoch, UpdatedAt = DateTimeOffset.UnixEpoch },
                Ct);
        }

        return guids;
    }
}
