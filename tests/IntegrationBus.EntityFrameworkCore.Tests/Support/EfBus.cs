using IntegrationBus.Management;
using IntegrationBus.Sqlite;
using IntegrationBus.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace IntegrationBus.EntityFrameworkCore.Tests.Support;

/// <summary>An application DbContext and the bus sharing one temp SQLite file.</summary>
public sealed class EfBus : IAsyncDisposable
{
    private readonly ServiceProvider _provider;
    private readonly List<IHostedService> _hosted;

    private readonly LogSignals _signals;

    private EfBus(ServiceProvider provider, string path, LogSignals signals)
    {
        _provider = provider;
        Path = path;
        _signals = signals;
        _hosted = [.. provider.GetServices<IHostedService>()];
    }

    public string Path { get; }

    public IntegrationBusService Bus => _provider.GetRequiredService<IntegrationBusService>();

    public TaskStore Store => _provider.GetRequiredService<TaskStore>();

    public IntegrationBusManagement Management => _provider.GetRequiredService<IntegrationBusManagement>();

    public IServiceProvider Services => _provider;

    /// <summary>Gets the bus's log events.</summary>
    public LogSignals Signals => _signals;

    /// <summary>Completes when the connector's incoming runner next waits (it has processed what it could).</summary>
    public Task NextIncomingIdleAsync(string connector) => _signals.NextRunnerWaitAsync(connector, TaskDirection.Incoming, _ => true);

    public static async Task<EfBus> StartAsync(
        IEnumerable<Connector> connectors,
        Action<BusEntitiesBuilder>? entities = null,
        bool processing = true,
        Action<IntegrationBusBuilder>? configure = null,
        bool pooled = false,
        Action<Microsoft.EntityFrameworkCore.Infrastructure.SqliteDbContextOptionsBuilder>? sqlite = null,
        Action<DbContextOptionsBuilder>? context = null)
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"ibus-ef-{Guid.NewGuid():N}.db");
        var services = new ServiceCollection();
        var signals = new LogSignals();
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Debug).AddProvider(signals));
        var builder = services.AddIntegrationBus(bus =>
        {
            bus.UseSqlite($"Data Source={path}")
                .AddEntityFrameworkCore<AppDb>(entities ?? DefaultEntities)
                .Configure(o => o.SweepInterval = TimeSpan.FromSeconds(1));
            foreach (var connector in connectors)
            {
                bus.AddConnector(connector);
            }
        });
        configure?.Invoke(builder);
        if (pooled)
        {
            services.AddDbContextPool<AppDb>((sp, options) => Configure(options.UseSqlite($"Data Source={path}", sqlite).UseIntegrationBus(sp)), poolSize: 1);
        }
        else
        {
            services.AddDbContext<AppDb>((sp, options) => Configure(options.UseSqlite($"Data Source={path}", sqlite).UseIntegrationBus(sp)));
        }

        void Configure(DbContextOptionsBuilder options) => context?.Invoke(options);

        var efBus = new EfBus(services.BuildServiceProvider(), path, signals);
        await using (var scope = efBus._provider.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<AppDb>().Database.EnsureCreatedAsync(TestContext.Current.CancellationToken);
        }

        if (!processing)
        {
            await efBus.Management.UpdateSettingsAsync(BusSettings.Default with { ProcessOutgoing = false }, cancellationToken: TestContext.Current.CancellationToken);
        }

        // Start the runners and wait until each has made its first pass, so later signals are not raced by it.
        var settled = efBus.Bus.Connectors
            .SelectMany(c => new[] { TaskDirection.Outgoing, TaskDirection.Incoming }.Select(d => signals.NextRunnerWaitAsync(c.Name, d, _ => true)))
            .ToList();
        foreach (var hosted in efBus._hosted)
        {
            await hosted.StartAsync(TestContext.Current.CancellationToken);
        }

        await Task.WhenAll(settled);
        return efBus;
    }

    public static void DefaultEntities(BusEntitiesBuilder ef) => ef
        .Object<User>("cms.user", u => u.CodeName(x => x.UserName))
        .Object<Role>("cms.role", r => r.CodeName(x => x.RoleName))
        .Object<Poll>("polls.poll", p => p.Children<PollAnswer>())
        .Object<PollAnswer>("polls.answer")
        .Page<Article>("content.article", "content.article", a => a.Tags(x => x.Tags.Select(t => t.Name)));

    public AsyncServiceScope Scope(out AppDb db)
    {
        var scope = _provider.CreateAsyncScope();
        db = scope.ServiceProvider.GetRequiredService<AppDb>();
        return scope;
    }

    public async Task<IReadOnlyList<TaskSummary>> QueueAsync(string? connector = null) =>
        (await Management.ListTasksAsync(new TaskQuery { Connector = connector, Limit = IntegrationBusManagement.MaxPageSize }, TestContext.Current.CancellationToken)).Items;

    public async Task<string?> PayloadAsync(long taskId) => (await Store.Management.GetTaskAsync(taskId, TestContext.Current.CancellationToken))?.Payload;

    public async ValueTask DisposeAsync()
    {
        foreach (var hosted in _hosted)
        {
            await hosted.StopAsync(CancellationToken.None);
        }

        await _provider.DisposeAsync();
        SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(Path + suffix);
        }
    }
}
