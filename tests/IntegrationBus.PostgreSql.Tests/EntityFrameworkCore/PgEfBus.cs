using System.Data.Common;
using IntegrationBus.EntityFrameworkCore;
using IntegrationBus.Management;
using IntegrationBus.Storage;
using IntegrationBus.TestKit;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace IntegrationBus.PostgreSql.Tests.EntityFrameworkCore;

/// <summary>An application on Npgsql's EF Core provider and the bus in one PostgreSQL database of its own (created and dropped per test).</summary>
public sealed class PgEfBus : IAsyncDisposable
{
    private readonly ServiceProvider _provider;
    private readonly List<IHostedService> _hosted;
    private readonly PostgreSqlTestServer _server;
    private readonly string? _database;

    private PgEfBus(ServiceProvider provider, PostgreSqlTestServer server, string? database, FailFirstCommits failures, SaveHooks hooks, LogSignals signals, string connectionString)
    {
        Hooks = hooks;
        Signals = signals;
        ConnectionString = connectionString;
        Failures = failures;
        _provider = provider;
        _server = server;
        _database = database;
        _hosted = [.. provider.GetServices<IHostedService>()];
    }

    public TaskStore Store => _provider.GetRequiredService<TaskStore>();

    public FailFirstCommits Failures { get; }

    /// <summary>Gets the application's own interceptor, registered after the bus's.</summary>
    public SaveHooks Hooks { get; }

    /// <summary>Gets the bus's log events.</summary>
    public LogSignals Signals { get; }

    /// <summary>Gets the connection string of the test's database (the application's and the bus's).</summary>
    public string ConnectionString { get; }

    public IntegrationBusManagement Management => _provider.GetRequiredService<IntegrationBusManagement>();

    /// <summary>Starts a bus in a new database, or another node on the database of <paramref name="sameDatabaseAs"/> (which keeps owning it).</summary>
    public static async Task<PgEfBus> StartAsync(bool retryOnFailure, Action<IntegrationBusOptions>? configure = null, PgEfBus? sameDatabaseAs = null, Connector? also = null, bool enlist = true)
    {
        var server = PostgreSqlTestServer.Require();
        var database = sameDatabaseAs?._database ?? $"ibus_ef_{Guid.NewGuid():N}";
        if (sameDatabaseAs is null)
        {
            await server.ExecuteAsync($"CREATE DATABASE \"{database}\";");
        }

        var connectionString = new NpgsqlConnectionStringBuilder(server.ConnectionString) { Database = database, Enlist = enlist }.ConnectionString;
        var signals = new LogSignals();
        var services = new ServiceCollection().AddLogging(logging => logging.SetMinimumLevel(LogLevel.Debug).AddProvider(signals));
        services.AddIntegrationBus(bus =>
        {
            bus.UsePostgreSql(connectionString)
                .AddEntityFrameworkCore<PgAppDb>(ef => ef.Object<PgUser>("test.user", u => u.CodeName(x => x.UserName)))
                .AddConnector(new CrmConnector())
                .Configure(o => configure?.Invoke(o));
            if (also is not null)
            {
                bus.AddConnector(also);
            }
        });

        var failures = new FailFirstCommits();
        var hooks = new SaveHooks();
        services.AddDbContext<PgAppDb>((sp, options) => options
            .UseNpgsql(connectionString, npgsql =>
            {
                if (retryOnFailure)
                {
                    npgsql.EnableRetryOnFailure(maxRetryCount: 3, maxRetryDelay: TimeSpan.FromMilliseconds(10), errorCodesToAdd: null);
                }
            })
            .UseIntegrationBus(sp)
            .AddInterceptors(failures, hooks));
        var efBus = new PgEfBus(services.BuildServiceProvider(), server, sameDatabaseAs is null ? database : null, failures, hooks, signals, connectionString);
        await using (var scope = efBus._provider.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<PgAppDb>().Database.EnsureCreatedAsync(TestContext.Current.CancellationToken);
        }

        foreach (var hosted in efBus._hosted)
        {
            await hosted.StartAsync(TestContext.Current.CancellationToken);
        }

        // Nothing is processed: the facts look at what is queued.
        await efBus._provider.GetRequiredService<IntegrationBusManagement>()
            .UpdateSettingsAsync(BusSettings.Default with { ProcessOutgoing = false }, cancellationToken: TestContext.Current.CancellationToken);
        return efBus;
    }

    public AsyncServiceScope Scope(out PgAppDb db)
    {
        var scope = _provider.CreateAsyncScope();
        db = scope.ServiceProvider.GetRequiredService<PgAppDb>();
        return scope;
    }

    /// <summary>A pool of the application's contexts on the bus's options (as <c>AddDbContextPool</c> keeps); the options live as long as the scope.</summary>
    public PooledDbContextFactory<PgAppDb> PooledFactory(out AsyncServiceScope scope)
    {
        scope = _provider.CreateAsyncScope();
        return new PooledDbContextFactory<PgAppDb>(scope.ServiceProvider.GetRequiredService<DbContextOptions<PgAppDb>>());
    }

    public async Task<IReadOnlyList<QueuedTask>> QueueAsync() =>
        await Store.Queue.FetchAsync(new FetchRequest { Queue = new QueueKey("crm", TaskDirection.Outgoing), Limit = 1000, Now = DateTimeOffset.MaxValue }, TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync()
    {
        foreach (var hosted in _hosted)
        {
            await hosted.StopAsync(CancellationToken.None);
        }

        await _provider.DisposeAsync();
        if (_database is null)
        {
            // Another node on a database that the first bus owns and drops.
            return;
        }

        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(_server.ConnectionString);
        await connection.OpenAsync(CancellationToken.None);
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_database}\" WITH (FORCE);", connection);
        await drop.ExecuteNonQueryAsync(CancellationToken.None);
    }

    /// <summary>Fails the next commits of application transactions with a transient error (serialization failure), as a dropped commit would.</summary>
    public sealed class FailFirstCommits : DbTransactionInterceptor
    {
        private int _remaining;

        public int Injected { get; private set; }

        public void FailNext(int count) => _remaining = count;

        public override InterceptionResult TransactionCommitting(DbTransaction transaction, TransactionEventData eventData, InterceptionResult result)
        {
            Fail();
            return result;
        }

        public override ValueTask<InterceptionResult> TransactionCommittingAsync(DbTransaction transaction, TransactionEventData eventData, InterceptionResult result, CancellationToken cancellationToken = default)
        {
            Fail();
            return ValueTask.FromResult(result);
        }

        private void Fail()
        {
            if (_remaining > 0)
            {
                _remaining--;
                Injected++;
                throw new PostgresException("Injected transient commit failure.", "ERROR", "ERROR", PostgresErrorCodes.SerializationFailure);
            }
        }
    }

    /// <summary>Runs a test's action in SavingChanges, after the bus's interceptor has seen the save.</summary>
    public sealed class SaveHooks : SaveChangesInterceptor
    {
        public Action? Saving { get; set; }

        public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
        {
            Saving?.Invoke();
            return result;
        }
    }

    private sealed class CrmConnector() : Connector("crm")
    {
        protected override void Subscribe(SubscriptionBuilder subscriptions) => subscriptions.AllObjects(SubscriptionMode.AsyncSimple);

        protected override Task<TaskResult> ProcessOutgoingAsync(OutgoingTask task, CancellationToken cancellationToken) => Task.FromResult(TaskResult.Ok);
    }
}
