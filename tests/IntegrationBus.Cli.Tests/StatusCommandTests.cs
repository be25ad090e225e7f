using System.Text.Json;

namespace IntegrationBus.Cli.Tests;

/// <summary><c>ibus status</c> and <c>ibus queues</c> against a real SQLite store.</summary>
public sealed class StatusCommandTests
{
    [Fact]
    public async Task Status_SeededStore_SettingsOneLinePerQueueAndTotals()
    {
        await using var store = await SeededStore.CreateAsync();

        var result = await Ibus.RunOkAsync(store.Args("status"));

        Assert.StartsWith("Bus enabled; outgoing: log on, process on; incoming: log on, process on; history off", result.Output, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^QUEUE\s+ENABLED\s+PENDING\s+ERRORS\s+SKIPPED\s+FAILED\s+DEPTH\s+LAG\s+LEASE\s+BREAKER$", result.Output);
        Assert.Matches(@"(?m)^crm outgoing\s+yes\s+2\s+1\s+1\s+1\s+4\s+\d+\.\d\d:\d\d:\d\d\s+node-1\s+open until 2100-01-01T00:00:00Z$", result.Output);
        Assert.Matches(@"(?m)^crm incoming\s+yes\s+1\s+0\s+0\s+0\s+1\s", result.Output);
        Assert.Matches(@"(?m)^erp outgoing\s+yes\s+5\s+0\s+0\s+0\s+5\s", result.Output);
        Assert.Matches(@"(?m)^TOTAL\s+8\s+1\s+1\s+1\s+10$", result.Output);
        Assert.Empty(result.Error);
    }

    [Fact]
    public async Task Status_Json_SettingsQueuesAndTotalsInTheApiShapes()
    {
        await using var store = await SeededStore.CreateAsync();

        var status = await Ibus.JsonAsync(store.Args("status"));

        Assert.True(status.GetProperty("settings").GetProperty("processOutgoing").GetBoolean());
        Assert.Equal("7.00:00:00", status.GetProperty("settings").GetProperty("historyRetention").GetString());
        var totals = status.GetProperty("totals");
        Assert.Equal((8, 1, 1, 1, 10), (totals.GetProperty("pending").GetInt64(), totals.GetProperty("errors").GetInt64(), totals.GetProperty("skipped").GetInt64(), totals.GetProperty("failed").GetInt64(), totals.GetProperty("depth").GetInt64()));
        var crm = status.GetProperty("queues").EnumerateArray().Single(q => q.GetProperty("connector").GetString() == "crm" && q.GetProperty("direction").GetString() == "Outgoing");
        Assert.Equal(4, crm.GetProperty("depth").GetInt64());
        var breaker = crm.GetProperty("circuitBreaker");
        Assert.Equal(("Open", "CRM down"), (breaker.GetProperty("status").GetString(), breaker.GetProperty("reason").GetString()));
        Assert.Equal(SeededStore.BreakerOpenUntil, breaker.GetProperty("openUntil").GetDateTimeOffset());
    }

    [Fact]
    public async Task Queues_Json_EveryQueueWithCountsDisplayNameLagAndLease()
    {
        await using var store = await SeededStore.CreateAsync();

        var queues = await Ibus.JsonAsync(store.Args("queues"));

        var byName = queues.EnumerateArray().ToDictionary(q => (q.GetProperty("connector").GetString(), q.GetProperty("direction").GetString()));
        Assert.Contains(("crm", "Outgoing"), byName.Keys);
        Assert.Contains(("crm", "Incoming"), byName.Keys);
        Assert.Contains(("erp", "Outgoing"), byName.Keys);
        var crm = byName[("crm", "Outgoing")];
        Assert.Equal("CRM", crm.GetProperty("displayName").GetString());
        Assert.True(crm.GetProperty("enabled").GetBoolean());
        Assert.Equal((2, 1, 1, 1, 4), (crm.GetProperty("pending").GetInt64(), crm.GetProperty("errors").GetInt64(), crm.GetProperty("skipped").GetInt64(), crm.GetProperty("failed").GetInt64(), crm.GetProperty("depth").GetInt64()));
        Assert.Equal("node-1", crm.GetProperty("leaseOwner").GetString());
        Assert.True(TimeSpan.TryParse(crm.GetProperty("lag").GetString(), System.Globalization.CultureInfo.InvariantCulture, out var lag) && lag > TimeSpan.Zero);
        Assert.Equal(JsonValueKind.String, crm.GetProperty("oldestCreatedAt").ValueKind);
    }

    [Fact]
    public async Task Queues_Table_OneRowPerQueueUnderAHeader()
    {
        await using var store = await SeededStore.CreateAsync();

        var result = await Ibus.RunOkAsync(store.Args("queues"));

        Assert.StartsWith("CONNECTOR  DIRECTION  NAME  ENABLED  PENDING", result.Lines[0], StringComparison.Ordinal);
        Assert.Contains(result.Lines, l => l.StartsWith("crm        Outgoing   CRM   yes      2", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Status_ConnectionFromEnvironment_SameAnswer()
    {
        await using var store = await SeededStore.CreateAsync();

        var result = await Ibus.RunAsync(["status", "--json"], environment: new Dictionary<string, string> { ["IBUS_SQLITE"] = store.Path });

        Assert.Equal(0, result.ExitCode);
        using var status = JsonDocument.Parse(result.Output);
        Assert.Equal(10, status.RootElement.GetProperty("totals").GetProperty("depth").GetInt64());
    }
}
