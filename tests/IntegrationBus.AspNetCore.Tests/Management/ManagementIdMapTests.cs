using System.Net;
using System.Text.Json;
using IntegrationBus.AspNetCore.Tests.Support;
using IntegrationBus.Management;
using IntegrationBus.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationBus.AspNetCore.Tests.Management;

public sealed class ManagementIdMapTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task IdMap_ListPagesAndFilters_AnswersEntriesWithKinds()
    {
        await using var host = await ManagementTestHost.StartAsync();
        var guids = await SeedAsync(host, 7L, "CRM-B", Guid.Parse("3f2504e0-4f89-11d3-9a0c-0305e82c3301"));

        var first = await host.GetJsonAsync("connectors/crm/id-map?limit=2");
        var rest = await host.GetJsonAsync($"connectors/crm/id-map?limit=2&after={first.GetProperty("next").GetString()}");
        var byGuid = await host.GetJsonAsync($"connectors/crm/id-map?guid={guids[1]}");
        var byExternalId = await host.GetJsonAsync("connectors/crm/id-map?externalId=3f2504e0-4f89-11d3-9a0c-0305e82c3301&objectType=crm.contact");

        static IEnumerable<(string?, string?)> Ids(JsonElement page) =>
            page.GetProperty("items").EnumerateArray().Select(e => (e.GetProperty("externalId").GetString(), e.GetProperty("externalIdKind").GetString()));
        Assert.Equal([("7", "Int64"), ("CRM-B", "String")], Ids(first));
        Assert.Equal([("3f2504e0-4f89-11d3-9a0c-0305e82c3301", "Guid")], Ids(rest));
        Assert.Equal(JsonValueKind.Null, rest.GetProperty("next").ValueKind);
        var entry = Assert.Single(byGuid.GetProperty("items").EnumerateArray());
        Assert.Equal(("crm", "crm.contact", guids[1], 5L), (entry.GetProperty("connector").GetString(), entry.GetProperty("objectType").GetString(), entry.GetProperty("objectGuid").GetGuid(), entry.GetProperty("objectId").GetInt64()));
        Assert.Equal(guids[2], Assert.Single(byExternalId.GetProperty("items").EnumerateArray()).GetProperty("objectGuid").GetGuid());
    }

    [Theory]
    [InlineData("guid=nope")]
    [InlineData("after=-1")]
    [InlineData("limit=5000")]
    public async Task IdMap_ListWithInvalidQuery_Returns400(string query)
    {
        await using var host = await ManagementTestHost.StartAsync();

        await HttpTestHost.AssertProblemAsync(await host.SendAsync(HttpMethod.Get, $"connectors/crm/id-map?{query}"), 400, "invalid-request");
    }

    [Fact]
    public async Task IdMap_Delete_DeletesAuditsAndThenAnswers404()
    {
        await using var host = await ManagementTestHost.StartAsync();
        var guids = await SeedAsync(host, 1L, 2L);

        var deleted = await host.SendAsync(HttpMethod.Delete, $"connectors/crm/id-map/crm.contact/{guids[0]}");
        var again = await host.SendAsync(HttpMethod.Delete, $"connectors/crm/id-map/crm.contact/{guids[0]}");

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        await HttpTestHost.AssertProblemAsync(again, 404, "unknown-id-map-entry");
        Assert.Equal([guids[1]], (await host.Management.IdMap.ListAsync(new IdMapQuery { Connector = "crm" }, Token)).Items.Select(e => e.ObjectGuid));
        var audit = Assert.Single(await host.Management.ListAuditAsync(new AuditQuery(), Token));
        Assert.Equal(("admin", ManagementActions.DeleteIdMapEntry, 1L), (audit.Actor, audit.Action, audit.Count));
        Assert.Contains(guids[0].ToString("D"), audit.Target, StringComparison.Ordinal);
    }

    [Fact]
    public async Task IdMap_DeleteWithInvalidGuid_Returns400()
    {
        await using var host = await ManagementTestHost.StartAsync();

        await HttpTestHost.AssertProblemAsync(await host.SendAsync(HttpMethod.Delete, "connectors/crm/id-map/crm.contact/not-a-guid"), 400, "invalid-request");
    }

    private static async Task<List<Guid>> SeedAsync(ManagementTestHost host, params ExternalId[] externalIds)
    {
        var store = host.Host.Services.GetRequiredService<TaskStore>();
        var guids = new List<Guid>();
        foreach (var id in externalIds)
        {
            var guid = Guid.NewGuid();
            guids.Add(guid);
            await store.IdMap.SetAsync(
                new IdMapEntry { Connector = "crm", ObjectType = "crm.contact", ObjectGuid = guid, ObjectId = 5, ExternalId = id, CreatedAt = DateTimeOffset.UnixEpoch, UpdatedAt = DateTimeOffset.UnixEpoch },
                Token);
        }

        return guids;
    }
}
