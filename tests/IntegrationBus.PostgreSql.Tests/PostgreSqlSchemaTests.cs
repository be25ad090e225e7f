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
    public async Task InitializeAsync_SchemaOfVersion3WithALease_UpgradesToTheSameTablesAsANewSchemaAndKeepsTheLease()
    {
        var old = _fixture.Server.NewSchema();
        var script = "CREATE SCHEMA \"" + old + "\";" + PostgreSqlSchemaScripts.CreateVersionTable + PostgreSqlSchemaScripts.CreateVersion1
            + PostgreSqlSchemaScripts.Version2Additions + PostgreSqlSchemaScripts.Version3Additions;
        await _fixture.Server.ExecuteAsync(script.Replace("ibus.", "\"" + old + "\".", StringComparison.Ordinal));
        await _fixture.Server.ExecuteAsync($"""
            INSERT INTO "{old}".integration_connector (name, display_name) VALUES ('crm', 'crm');
            INSERT INTO "{old}".integration_lease (connector_id, direction, owner, expires_at, token, acquired_at)
            SELECT id, 0, 'node-a', now() + interval '1 minute', 7, now() FROM "{old}".integration_connector;
            """);
        var fresh = _fixture.Server.NewSchema();

        await _fixture.NewStore(old).InitializeAsync(Ct);
        await _fixture.NewStore(fresh).InitializeAsync(Ct);

        Assert.Equal(await ShapeAsync(fresh), await ShapeAsync(old));
        Assert.Equal(4, await _fixture.Server.ScalarAsync<int>($"SELECT max(version) FROM \"{old}\".integration_schema_version;"));
        Assert.Equal("node-a 7 0 1", await _fixture.Server.ScalarAsync<string>(
            $"SELECT owner || ' ' || token || ' ' || partition_no || ' ' || partition_count FROM \"{old}\".integration_lease;"));
    }

    /// <summary>The columns (name, type, nullability, default) and the primary keys of a schema's tables, as one text.</summary>
    private Task<string> ShapeAsync(string schema) => _fixture.Server.ScalarAsync<string>("""
        SELECT string_agg(line, E'\n' ORDER BY line) FROM (
            SELECT table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable || ' ' || COALESCE(column_default, '') AS line
            FROM information_schema.columns WHERE table_schema = @schema
            UNION ALL
            SELECT r.relname || ' ' || pg_get_constraintdef(c.oid)
            FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace JOIN pg_class r ON r.oid = c.conrelid
            WHERE n.nspname = @schema AND c.contype = 'p') shape;
        """, ("schema", schema));

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
        Assert.Equal(4L, await _fixture.Server.ScalarAsync<long>($"SELECT count(*) FROM \"{schema}\".integration_schema_version;"));
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
        Assert.Contains("only up to version 4", error.Message, StringComparison.Ordinal);
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
