using IntegrationBus.Storage;
using IntegrationBus.TestKit;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace IntegrationBus.PostgreSql.Tests;

/// <summary>The store contract against a fresh schema per test on the server of <c>INTEGRATIONBUS_TEST_POSTGRES</c>.</summary>
/// <remarks>Leases are judged by the database clock frozen at the start of each test and moved by <see cref="AdvanceStoreClockAsync"/> (the store's test-only <c>FrozenClock</c>).</remarks>
public sealed class PostgreSqlTaskStoreTests : TaskStoreContract
{
    private PostgreSqlTestServer? _server;

    private PostgreSqlTaskStore PostgreSqlStore => (PostgreSqlTaskStore)Store;

    protected override async Task<TaskStore> CreateStoreAsync()
    {
        _server = PostgreSqlTestServer.Require();
        var store = new PostgreSqlTaskStore(
            Options.Create(new PostgreSqlTaskStoreOptions { ConnectionString = _server.ConnectionString, Schema = _server.NewSchema() }),
            NullLogger<PostgreSqlTaskStore>.Instance);
        await store.InitializeAsync(Ct);
        // The database clock, frozen at its current time, so that facts move it exactly (a live clock runs on between calls).
        store.Database.FrozenClock = await _server.ScalarAsync<DateTime>("SELECT date_trunc('milliseconds', now());");
        return store;
    }

    protected override Task AdvanceStoreClockAsync(TimeSpan by)
    {
        PostgreSqlStore.Database.FrozenClock += by;
        return Task.CompletedTask;
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
