using System.Text.Json;

namespace IntegrationBus.Cli.Tests;

/// <summary><c>ibus connectors</c>, <c>ibus settings</c> and <c>ibus purge</c>: what they change is in the store.</summary>
public sealed class ConnectorsAndSettingsCommandTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Connectors_DisableThenEnable_SwitchStoredAndListed()
    {
        await using var store = await SeededStore.CreateAsync();

        var disabled = await Ibus.RunOkAsync(store.Args("connectors", "disable", "crm"));
        var stored = await store.Store.Configuration.GetConnectorsAsync(Ct);
        var listed = await Ibus.JsonAsync(store.Args("connectors", "list"));
        var table = await Ibus.RunOkAsync(store.Args("connectors", "list"));

        Assert.Equal(["Connector crm disabled: it gets no new tasks and its queues wait."], disabled.Lines);
        Assert.False(stored.Single(c => c.Name == "crm").Enabled);
        Assert.True(stored.Single(c => c.Name == "erp").Enabled);
        Assert.False(listed.EnumerateArray().Single(c => c.GetProperty("name").GetString() == "crm").GetProperty("enabled").GetBoolean());
        Assert.Matches(@"(?m)^crm\s+CRM\s+no\s+open until 2100-01-01T00:00:00Z$", table.Output);
        Assert.Equal("Open", listed.EnumerateArray().Single(c => c.GetProperty("name").GetString() == "crm").GetProperty("circuitBreaker").GetProperty("status").GetString());

        var enabled = await Ibus.JsonAsync(store.Args("connectors", "enable", "crm"));

        Assert.True(enabled.GetProperty("enabled").GetBoolean());
        Assert.True((await store.Store.Configuration.GetConnectorsAsync(Ct)).Single(c => c.Name == "crm").Enabled);
    }

    [Fact]
    public async Task Connectors_UnknownName_ExitsOne()
    {
        await using var store = await SeededStore.CreateAsync();

        var result = await Ibus.RunAsync(store.Args("connectors", "disable", "nobody"));

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("ibus: No connector is named 'nobody' in this store.", result.Error.TrimEnd());
    }

    [Fact]
    public async Task Settings_SetThenGet_StoredAndShown()
    {
        await using var store = await SeededStore.CreateAsync();

        var set = await Ibus.JsonAsync(store.Args("settings", "set", "processOutgoing=false", "historyRetention=14d", "failedTaskRetention=12:00:00", "historyEnabled=on"));
        var stored = await store.Store.Configuration.GetSettingsAsync(Ct);
        var get = await Ibus.RunOkAsync(store.Args("settings", "get"));

        Assert.False(set.GetProperty("processOutgoing").GetBoolean());
        Assert.True(set.GetProperty("historyEnabled").GetBoolean());
        Assert.Equal("14.00:00:00", set.GetProperty("historyRetention").GetString());
        Assert.Equal("12:00:00", set.GetProperty("failedTaskRetention").GetString());
        Assert.Equal("false", stored["outgoing.process"]);
        Assert.Equal("14.00:00:00", stored["retention.history"]);
        Assert.Matches(@"(?m)^processOutgoing\s+false$", get.Output);
        Assert.Matches(@"(?m)^failedTaskRetention\s+12:00:00$", get.Output);
        Assert.Matches(@"(?m)^auditRetention\s+90\.00:00:00$", get.Output);

        var off = await Ibus.JsonAsync(store.Args("settings", "set", "failedTaskRetention=off"));
        Assert.Equal(JsonValueKind.Null, off.GetProperty("failedTaskRetention").ValueKind);
    }

    [Theory]
    [InlineData("colour=blue", "'colour' is not a setting")]
    [InlineData("processOutgoing=maybe", "processOutgoing: 'maybe' is not true or false.")]
    [InlineData("auditRetention=-1d", "auditRetention: '-1d' is not a positive period")]
    [InlineData("enabled", "'enabled' is not KEY=VALUE")]
    public async Task Settings_BadAssignment_UsageErrorAndNothingStored(string assignment, string message)
    {
        await using var store = await SeededStore.CreateAsync();

        var result = await Ibus.RunAsync(store.Args("settings", "set", "logOutgoing=false", assignment));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.Error, StringComparison.Ordinal);
        Assert.False((await store.Store.Configuration.GetSettingsAsync(Ct)).ContainsKey("outgoing.log"));
    }

    [Fact]
    public async Task Purge_OldAttempts_DeletedAndCounted()
    {
        await using var store = await SeededStore.CreateAsync();

        var result = await Ibus.JsonAsync(store.Args("purge"));
        var text = await Ibus.RunOkAsync(store.Args("purge"));

        Assert.Equal(3, result.GetProperty("attempts").GetInt64());
        Assert.Equal(0, result.GetProperty("failedSynchronizations").GetInt64());
        Assert.Equal(3, result.GetProperty("total").GetInt64());
        Assert.Empty(await store.Store.Management.GetAttemptsAsync(store.Outgoing[0], Ct));
        Assert.StartsWith("Purged 0 rows: 0 attempt-log entries", text.Output, StringComparison.Ordinal);
    }
}
