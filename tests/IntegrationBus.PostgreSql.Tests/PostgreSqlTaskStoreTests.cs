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

    [Theory]
    [InlineData(1)]
    [InlineData(0)]
    public async Task RecordAsync_OkOfTaskWithConnectorCount_DeletesTheTaskAndItsAttempts(int connectorCount)
    {
        // 0 is a row appended before schema version 2 (count unknown): it takes the search for other connectors' rows.
        var crm = Some.Connector();
        var id = await AppendOneAsync(Some.Task(crm));
        await RecordAsync(crm, Error(id, "once", TimeSpan.Zero));
        await _server!.ScalarAsync<long>($"UPDATE \"{PostgreSqlStore.Database.Schema}\".integration_task SET connector_count = {connectorCount} WHERE id = {id} RETURNING id;");

        await RecordAsync(crm, Ok(id));

        Assert.Equal(0L, await _server.ScalarAsync<long>($"SELECT count(*) FROM \"{PostgreSqlStore.Database.Schema}\".integration_task;"));
        Assert.Empty(await AttemptsAsync(id));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task AppendEnlistedAsync_InTransactionScope_TaskExistsOnlyIfTheScopeCompletes(bool complete)
    {
        var crm = Some.Connector();
        Assert.True(Store.Queue.SupportsEnlistedAppends);
        using (var scope = new System.Transactions.TransactionScope(System.Transactions.TransactionScopeAsyncFlowOption.Enabled))
        {
            await using var connection = new Npgsql.NpgsqlConnection(_server!.ConnectionString);
            await connection.OpenAsync(Ct);
            var ids = await Store.Queue.AppendEnlistedAsync([Some.Task(crm)], connection, Ct);
            Assert.Single(ids);
            if (complete)
            {
                scope.Complete();
            }
        }

        Assert.Equal(complete ? 1 : 0, (await FetchAllAsync(crm)).Count);
    }

    [Fact]
    public async Task AppendAsync_OwnTransactionInsideATransactionScope_CommitsOnItsOwnWhateverTheScopeDoes()
    {
        // Npgsql would enlist a connection opened here in the scope, and the store's own transaction on it would fail.
        var crm = Some.Connector();
        using (new System.Transactions.TransactionScope(System.Transactions.TransactionScopeAsyncFlowOption.Enabled))
        {
            Assert.Single(await Store.Queue.AppendAsync([Some.Task(crm)], null, Ct));
            Assert.Single(await FetchAllAsync(crm));
        }

        Assert.Single(await FetchAllAsync(crm));
    }

    [Fact]
    public async Task AppendEnlistedAsync_ClosedConnectionNoAmbientTransactionOrEnlistFalse_RefusedAndNothingAppended()
    {
        var crm = Some.Connector();
        await using var connection = new Npgsql.NpgsqlConnection(_server!.ConnectionString);
        Assert.Throws<ArgumentException>("connection", () => Store.Queue.AppendEnlisted([Some.Task(crm)], connection));
        await connection.OpenAsync(Ct);
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => Store.Queue.AppendEnlistedAsync([Some.Task(crm)], connection, Ct));
        Assert.Contains("no ambient", refused.Message, StringComparison.Ordinal);
        using (new System.Transactions.TransactionScope(System.Transactions.TransactionScopeAsyncFlowOption.Enabled))
        {
            var builder = new Npgsql.NpgsqlConnectionStringBuilder(_server.ConnectionString) { Enlist = false };
            await using var notEnlisted = new Npgsql.NpgsqlConnection(builder.ConnectionString);
            await notEnlisted.OpenAsync(Ct);
            var notTakingPart = await Assert.ThrowsAsync<ArgumentException>("connection", () => Store.Queue.AppendEnlistedAsync([Some.Task(crm)], notEnlisted, Ct));
            Assert.Contains("Enlist=false", notTakingPart.Message, StringComparison.Ordinal);
        }

        Assert.Empty(await FetchAllAsync(crm));
    }

    [Fact]
    public async Task AppendAsync_TaskForTwoConnectors_RecordsTheCountSoOnlyTheLastOkDeletesIt()
    {
        var crm = Some.Connector();
        var erp = Some.Connector();
        var id = await AppendOneAsync(Some.Task(crm, erp));
        Assert.Equal(2, await _server!.ScalarAsync<short>($"SELECT connector_count FROM \"{PostgreSqlStore.Database.Schema}\".integration_task WHERE id = {id};"));

        await RecordAsync(crm, Ok(id));
        Assert.Equal([id], (await FetchAllAsync(erp)).Select(t => t.Id));

        await RecordAsync(erp, Ok(id));
        Assert.Equal(0L, await _server.ScalarAsync<long>($"SELECT count(*) FROM \"{PostgreSqlStore.Database.Schema}\".integration_task;"));
    }

    [Fact]
    public async Task FetchAsync_TasksForOneAndTwoConnectors_ReportTheirSynchronizationCounts()
    {
        var crm = Some.Connector();
        var erp = Some.Connector();
        var ids = await AppendAsync(Some.Task(crm), Some.Task(crm, erp));

        Assert.Equal([(ids[0], 1), (ids[1], 2)], (await FetchAllAsync(crm)).Select(t => (t.Id, t.SynchronizationCount)));
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
