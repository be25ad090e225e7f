using IntegrationBus.TestKit;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace IntegrationBus.PostgreSql.Tests;

/// <summary>Creating and versioning the schema, and the options.</summary>
public sealed class PostgreSqlSchemaTests : IAsyncLifetime
{
    private PostgreSqlStoreFixture _fixture = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync()
    {
        _fixture = new PostgreSqlStoreFixture();
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync() => await _fixture.DisposeAsync();

    [Fact]
    public async Task InitializeAsync_ManyNodesAtOnce_AllSucceedAndCreateTheSchemaOnce()
    {
        var schema = _fixture.Server.NewSchema();
        var stores = Enumerable.Range(0, 8).Select(_ => _fixture.NewStore(schema)).ToList();
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var starts = stores.Select(store => Task.Run(async () =>
        {
            await start.Task;
            await store.InitializeAsync(Ct);
        }, Ct)).ToArray();
        start.SetResult();
        await Task.WhenAll(starts);

        Assert.Equal(1L, await _fixture.Server.ScalarAsync<long>("SELECT count(*) FROM pg_namespace WHERE nspname = @schema;", ("schema", schema)));
        Assert.Equal(3L, await _fixture.Server.ScalarAsync<long>($"SELECT count(*) FROM \"{schema}\".integration_schema_version;"));
        Assert.Equal(1L, await _fixture.Server.ScalarAsync<long>(
            "SELECT count(*) FROM pg_tables WHERE schemaname = @schema AND tablename = 'integration_task';", ("schema", schema)));
        var crm = Some.Connector();
        var id = (await stores[3].Queue.AppendAsync([Some.Task(crm)], null, Ct)).Single();
        Assert.Equal([id], (await PostgreSqlStoreFixture.FetchAllAsync(stores[5], crm)).Select(t => t.Id));
    }

    [Fact]
    public async Task InitializeAsync_Twice_KeepsTasks()
    {
        var store = await _fixture.StartStoreAsync();
        var crm = Some.Connector();
        var id = (await store.Queue.AppendAsync([Some.Task(crm)], null, Ct)).Single();

        await store.InitializeAsync(Ct);
        await _fixture.StartStoreAsync(store.Database.Schema);

        Assert.Equal([id], (await PostgreSqlStoreFixture.FetchAllAsync(store, crm)).Select(t => t.Id));
    }

    [Theory]
    [InlineData("", true)]
    [InlineData(";Max Auto Prepare=0", false)]
    public async Task Store_FromConnectionString_PreparesItsStatementsUnlessTheStringSaysNot(string setting, bool prepared)
    {
        var crm = Some.Connector();
        var store = await _fixture.StartStoreAsync(configure: o => o.ConnectionString += setting);
        await store.Queue.AppendAsync([Some.Task(crm)], null, Ct);

        for (var i = 0; i < 10; i++)
        {
            Assert.Single(await PostgreSqlStoreFixture.FetchAllAsync(store, crm));
        }

        // The pool hands back the connection the fetches used; prepared statements live in its session.
        await using var connection = await store.Database.DataSource.OpenConnectionAsync(Ct);
        await using var command = new Npgsql.NpgsqlCommand("SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE '%integration_synchronization%';", connection);
        var count = (long)(await command.ExecuteScalarAsync(Ct))!;

        Assert.Equal(prepared, count > 0);
    }

    [Fact]
    public async Task InitializeAsync_NewerSchemaVersion_ThrowsClearException()
    {
        var store = await _fixture.StartStoreAsync();
        await _fixture.Server.ScalarAsync<int>($"INSERT INTO \"{store.Database.Schema}\".integration_schema_version (version) VALUES (7) RETURNING version;");

        var error = await Assert.ThrowsAsync<IntegrationBusException>(() => _fixture.NewStore(store.Database.Schema).InitializeAsync(Ct));

        Assert.Contains("schema version 7", error.Message, StringComparison.Ordinal);
        Assert.Contains("only up to version 3", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InitializeAsync_HotTables_HaveTheirAutovacuumSettings()
    {
        var store = await _fixture.StartStoreAsync();

        var options = await _fixture.Server.ScalarAsync<string[]>(
            "SELECT c.reloptions FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = @schema AND c.relname = 'integration_synchronization';",
            ("schema", store.Database.Schema));

        Assert.Contains("autovacuum_vacuum_scale_factor=0.01", options);
    }
}
