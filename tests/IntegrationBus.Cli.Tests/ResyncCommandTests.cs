using System.Text.Json;
using IntegrationBus.Storage;

namespace IntegrationBus.Cli.Tests;

/// <summary><c>ibus resync list|show|cancel</c> over the store and over the management API.</summary>
public sealed class ResyncCommandTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ListShowAndCancel_OverStoreAndUrl_SameJsonThenCancelled()
    {
        await using var store = await SeededStore.CreateAsync();
        var job = await store.Store.Resyncs.CreateAsync(
            new ResyncJob { Connector = "crm", TypeFilter = "crm.%", CreatedAt = DateTimeOffset.UnixEpoch, UpdatedAt = DateTimeOffset.UnixEpoch, StartedBy = "ops" }, Ct);
        await using var app = await ManagementApp.StartAsync(store.Path);
        var id = job.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);

        var overStore = await Ibus.RunOkAsync(store.Args("resync", "list", "--json"));
        var overHttp = await Ibus.RunOkAsync(app.Args(ManagementApp.ViewerToken, "resync", "list", "--json"));
        var shown = await Ibus.RunOkAsync(store.Args("resync", "show", id));
        await Ibus.RunOkAsync(store.Args("resync", "cancel", id));
        var again = await Ibus.RunAsync(store.Args("resync", "cancel", id));

        Assert.Equal(overStore.Output, overHttp.Output);
        Assert.Equal("crm.%", Assert.Single(JsonDocument.Parse(overStore.Output).RootElement.EnumerateArray()).GetProperty("typeFilter").GetString());
        Assert.Contains($"resync {id} of crm: Running, types crm.%", shown.Output, StringComparison.Ordinal);
        Assert.Equal(ResyncJobState.Cancelled, (await store.Store.Resyncs.GetAsync(job.Id, Ct))!.State);
        Assert.Equal(1, again.ExitCode);
    }
}
