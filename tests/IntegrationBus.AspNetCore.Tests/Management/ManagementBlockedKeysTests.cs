using System.Net;
using System.Text.Json;
using IntegrationBus.AspNetCore.Tests.Support;
using IntegrationBus.Management;
using IntegrationBus.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationBus.AspNetCore.Tests.Management;

public sealed class ManagementBlockedKeysTests
{
    // A connector another application registered in the same store: no runner here holds its queue, so tests can park its tasks.
    private const string Legacy = "legacy";

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task BlockedKeys_ListPages_AnswersKeysWithHeadErrorAndWaiting()
    {
        await using var host = await ManagementTestHost.StartAsync();
        var ids = await ParkAsync(host, "b", "a/1", "c d?&");

        var first = await host.GetJsonAsync("connectors/legacy/blocked-keys?limit=2&direction=outgoing");
        var rest = await host.GetJsonAsync(
            $"connectors/legacy/blocked-keys?limit=2&after={Uri.EscapeDataString(first.GetProperty("next").GetString()!)}&afterDirection={first.GetProperty("nextDirection").GetString()}");

        static IEnumerable<string?> Keys(JsonElement page) => page.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("key").GetString());
        Assert.Equal(["a/1", "b"], Keys(first));
        Assert.Equal(["c d?&"], Keys(rest));
        Assert.Equal(JsonValueKind.Null, rest.GetProperty("next").ValueKind);
        var key = first.GetProperty("items")[0];
        Assert.Equal(("legacy", "Outgoing", ids[1], "refused", 0L), (
            key.GetProperty("connector").GetString(), key.GetProperty("direction").GetString(), key.GetProperty("taskId").GetInt64(),
            key.GetProperty("lastError").GetString(), key.GetProperty("waiting").GetInt64()));
        Assert.Equal("test.contact", key.GetProperty("objectType").GetString());
    }

    [Theory]
    [InlineData("direction=sideways")]
    [InlineData("limit=5000")]
    public async Task BlockedKeys_ListWithInvalidQuery_Returns400(string query)
    {
        await using var host = await ManagementTestHost.StartAsync();

        await HttpTestHost.AssertProblemAsync(await host.SendAsync(HttpMethod.Get, $"connectors/legacy/blocked-keys?{query}"), 400, "invalid-request");
    }

    [Fact]
    public async Task BlockedKeys_UnknownConnector_Returns404()
    {
        await using var host = await ManagementTestHost.StartAsync();

        await HttpTestHost.AssertProblemAsync(await host.SendAsync(HttpMethod.Get, "connectors/nope/blocked-keys"), 404, "unknown-connector");
        await HttpTestHost.AssertProblemAsync(await host.SendAsync(HttpMethod.Post, "connectors/nope/blocked-keys/release", body: new { key = "k" }), 404, "unknown-connector");
    }

    [Fact]
    public async Task BlockedKeys_ReleaseWithKeyInBody_ReleasesAuditsAndThenAnswers404()
    {
        await using var host = await ManagementTestHost.StartAsync();
        var ids = await ParkAsync(host, "contact/\"1\"");

        var released = await host.SendJsonAsync(HttpMethod.Post, "connectors/legacy/blocked-keys/release", new { key = "contact/\"1\"", direction = "outgoing" });
        var again = await host.SendAsync(HttpMethod.Post, "connectors/legacy/blocked-keys/release", body: new { key = "contact/\"1\"" });

        Assert.Equal(ids[0], released.GetProperty("taskId").GetInt64());
        await HttpTestHost.AssertProblemAsync(again, 404, "key-not-blocked");
        Assert.Empty((await host.Management.BlockedKeys.ListAsync(new BlockedKeyQuery { Connector = "legacy" }, Token)).Items);
        var audit = Assert.Single(await host.Management.ListAuditAsync(new AuditQuery(), Token));
        Assert.Equal(("admin", ManagementActions.ReleaseBlockedKey, $"key legacy Outgoing contact/\"1\" task {ids[0]}"), (audit.Actor, audit.Action, audit.Target));
    }

    [Fact]
    public async Task BlockedKeys_RetryAndSkipWithKeyInQuery_ActOnTheHeads()
    {
        await using var host = await ManagementTestHost.StartAsync();
        var ids = await ParkAsync(host, "k 1", "k&2");

        var retried = await host.SendJsonAsync(HttpMethod.Post, $"connectors/legacy/blocked-keys/retry?key={Uri.EscapeDataString("k 1")}");
        var skipped = await host.SendJsonAsync(HttpMethod.Post, $"connectors/legacy/blocked-keys/skip?key={Uri.EscapeDataString("k&2")}&direction=Outgoing");

        Assert.Equal((ids[0], ids[1]), (retried.GetProperty("taskId").GetInt64(), skipped.GetProperty("taskId").GetInt64()));
        Assert.Equal(
            [ManagementActions.SkipBlockedKey, ManagementActions.RetryBlockedKey],
            (await host.Management.ListAuditAsync(new AuditQuery(), Token)).Select(a => a.Action));
        Assert.Null(await host.Host.Services.GetRequiredService<TaskStore>().Management.GetTaskAsync(ids[1], Token));
    }

    [Theory]
    [InlineData("""{"direction":"outgoing"}""", "invalid-request")]
    [InlineData("""{"key":"k","direction":"up"}""", "invalid-request")]
    [InlineData("""not json""", "invalid-request")]
    public async Task BlockedKeys_ActionWithInvalidBody_Returns400(string body, string kind)
    {
        await using var host = await ManagementTestHost.StartAsync();

        await HttpTestHost.AssertProblemAsync(await host.SendAsync(HttpMethod.Post, "connectors/legacy/blocked-keys/retry", body: body), 400, kind);
        Assert.Empty(await host.Management.ListAuditAsync(new AuditQuery(), Token));
    }

    private static Task<IReadOnlyList<long>> ParkAsync(ManagementTestHost host, params string[] keys) =>
        KeyedTasks.AppendParkedAsync(host.Host.Services.GetRequiredService<TaskStore>(), DateTimeOffset.UnixEpoch, Legacy, keys, "refused", Token);
}
