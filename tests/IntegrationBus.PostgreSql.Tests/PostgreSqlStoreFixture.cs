using IntegrationBus.Storage;
using IntegrationBus.TestKit;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace IntegrationBus.PostgreSql.Tests;

/// <summary>Stores on fresh schemas for the provider-only facts, dropped (and disposed) at the end of the test.</summary>
public sealed class PostgreSqlStoreFixture : IAsyncDisposable
{
    private readonly List<PostgreSqlTaskStore> _stores = [];

    public PostgreSqlStoreFixture() => Server = PostgreSqlTestServer.Require();

    public PostgreSqlTestServer Server { get; }

    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A store on a schema (a new one unless given), not initialised.</summary>
    public PostgreSqlTaskStore NewStore(string? schema = null, Action<PostgreSqlTaskStoreOptions>? configure = null)
    {
        var options = new PostgreSqlTaskStoreOptions { ConnectionString = Server.ConnectionString, Schema = schema ?? Server.NewSchema() };
        configure?.Invoke(options);
        var store = new PostgreSqlTaskStore(Options.Create(options), NullLogger<PostgreSqlTaskStore>.Instance);
        _stores.Add(store);
        return store;
    }

    /// <summary>An initialised store on a new schema (or the given one).</summary>
    public async Task<PostgreSqlTaskStore> StartStoreAsync(string? schema = null, Action<PostgreSqlTaskStoreOptions>? configure = null)
    {
        var store = NewStore(schema, configure);
        await store.InitializeAsync(Ct);
        return store;
    }

    public static Task<IReadOnlyList<QueuedTask>> FetchAllAsync(TaskStore store, string connector, TaskDirection direction = TaskDirection.Outgoing)
        => store.Queue.FetchAsync(new FetchRequest { Queue = Some.Queue(connector, direction), Limit = 1000, Now = Some.Epoch }, Ct);

    public async ValueTask DisposeAsync()
    {
        foreach (var store in _stores)
        {
            await store.DisposeAsync();
        }

        await Server.DisposeAsync();
    }
}
