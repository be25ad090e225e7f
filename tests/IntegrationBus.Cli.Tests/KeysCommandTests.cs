using System.Text.Json;
using IntegrationBus.Storage;
using IntegrationBus.TestKit;

namespace IntegrationBus.Cli.Tests;

/// <summary><c>ibus keys list|retry|skip|release</c> over the store and over the management API.</summary>
public sealed class KeysCommandTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task List_OverStoreAndUrl_SameJsonPaged()
    {
        await using var store = await SeededStore.CreateAsync();
        var ids = await ParkAsync(store, "b", "a", "c d");
        await KeyedTasks.AppendAsync(store.Store, "erp", ["a"], Ct);
        await using var app = await ManagementApp.StartAsync(store.Path);

        var overStore = await Ibus.RunOkAsync(store.Args("keys", "list", "erp", "--limit", "2", "--json"));
        var overHttp = await Ibus.RunOkAsync(app.Args(ManagementApp.ViewerToken, "keys", "list", "erp", "--limit", "2", "--json"));
        var page = JsonDocument.Parse(overStore.Output).RootElement;
        var rest = await Ibus.JsonAsync(app.Args(
            ManagementApp.ViewerToken, "keys", "list", "erp", "--after", page.GetProperty("next").GetString()!, "--after-direction", page.GetProperty("nextDirection").GetString()!));

        Assert.Equal(overStore.Output, overHttp.Output);
        Assert.Equal([("a", ids[1], 1L), ("b", ids[0], 0L)], page.GetProperty("items").EnumerateArray().Select(e => (e.GetProperty("key").GetString(), e.GetProperty("taskId").GetInt64(), e.GetProperty("waiting").GetInt64())));
        Assert.Equal(["c d"], rest.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("key").GetString()));
        Assert.Equal(JsonValueKind.Null, rest.GetProperty("next").ValueKind);
    }

    [Fact]
    public async Task List_Table_RowsUnderAHeaderWithTheError()
    {
        await using var store = await SeededStore.CreateAsync();
        await ParkAsync(store, "contact-7");

        var result = await Ibus.RunOkAsync(store.Args("keys", "list", "erp"));

        Assert.StartsWith("KEY", result.Output, StringComparison.Ordinal);
        Assert.Contains("contact-7", result.Output, StringComparison.Ordinal);
        Assert.Contains("ERP refused", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Actions_OverUrlAndStore_ActOnTheHeadsAndAudit()
    {
        await using var store = await SeededStore.CreateAsync();
        var ids = await ParkAsync(store, "k1", "k 2", "k3");
        await using var app = await ManagementApp.StartAsync(store.Path);

        var retried = await Ibus.RunOkAsync(app.Args(ManagementApp.OperatorToken, "keys", "retry", "erp", "k1"));
        var skipped = await Ibus.JsonAsync(store.Args("keys", "skip", "erp", "k 2", "--direction", "Outgoing"));
        await Ibus.RunOkAsync(store.Args("keys", "release", "erp", "k3"));

        Assert.Contains($"Retried task {ids[0]}", retried.Output, StringComparison.Ordinal);
        Assert.Equal(ids[1], skipped.GetProperty("taskId").GetInt64());
        Assert.Equal(SynchronizationStatus.Pending, await store.StatusAsync(ids[0], "erp"));
        Assert.Equal(SynchronizationStatus.Failed, await store.StatusAsync(ids[2], "erp"));
        Assert.Empty(await store.Store.BlockedKeys.ListAsync(new BlockedKeyQuery { Connector = "erp" }, Ct));
        var audit = await store.Store.Management.ListAuditAsync(new AuditQuery(), Ct);
        Assert.Equal(["key.release", "key.skip", "key.retry"], audit.Select(a => a.Action));
        Assert.Equal("ops", audit[2].Actor);
        Assert.StartsWith("ibus", audit[0].Actor, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Actions_KeyNotBlockedOrUnknownConnector_ExitOneWithTheReason()
    {
        await using var store = await SeededStore.CreateAsync();
        await using var app = await ManagementApp.StartAsync(store.Path);

        var overStore = await Ibus.RunAsync(store.Args("keys", "release", "erp", "nope"));
        var overHttp = await Ibus.RunAsync(app.Args(ManagementApp.OperatorToken, "keys", "retry", "erp", "nope"));
        var unknown = await Ibus.RunAsync(store.Args("keys", "list", "nobody"));

        Assert.Equal((1, 1, 1), (overStore.ExitCode, overHttp.ExitCode, unknown.ExitCode));
        Assert.Contains("not blocked", overStore.Error, StringComparison.Ordinal);
        Assert.Contains("not blocked", overHttp.Error, StringComparison.Ordinal);
        Assert.Contains("'nobody'", unknown.Error, StringComparison.Ordinal);
    }

    private static Task<IReadOnlyList<long>> ParkAsync(SeededStore store, params string[] keys) =>
        KeyedTasks.AppendParkedAsync(store.Store, Some.Epoch, "erp", keys, "ERP refused the contact", Ct);
}
