using IntegrationBus.Management;
using IntegrationBus.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace IntegrationBus.Benchmarks;

/// <summary>A bus on a fresh store location (by default a temp SQLite file with the library defaults: WAL, synchronous NORMAL) with no-op connectors.</summary>
internal sealed class BenchBus : IAsyncDisposable
{
    private readonly ServiceProvider _provider;
    private readonly List<IHostedService> _hosted;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, TaskCompletionSource> _drained = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (TaskCompletionSource Source, Func<bool> Reached)> _incomingDrained = new(StringComparer.Ordinal);
    private readonly BenchStore _store;
    private readonly bool _ownsLocation;
    private bool _started;

    private BenchBus(ServiceProvider provider, BenchStore store, string path, bool ownsLocation, IReadOnlyList<BenchConnector> connectors)
    {
        _provider = provider;
        _store = store;
        _ownsLocation = ownsLocation;
        Path = path;
        Connectors = connectors;
        _hosted = [.. provider.GetServices<IHostedService>()];
    }

    /// <summary>The store location: a SQLite file path or a PostgreSQL schema name.</summary>
    public string Path { get; }

    public IReadOnlyList<BenchConnector> Connectors { get; }

    public IntegrationBusService Bus => _provider.GetRequiredService<IntegrationBusService>();

    public IServiceProvider Services => _provider;

    public TaskStore Store => _provider.GetRequiredService<TaskStore>();

    public IntegrationBusManagement Management => _provider.GetRequiredService<IntegrationBusManagement>();

    /// <summary>Creates the bus and initializes the store, without starting the runners.</summary>
    /// <param name="connectorCount">How many no-op connectors (bench1, bench2, …).</param>
    /// <param name="configure">More bus configuration.</param>
    /// <param name="path">The store location; a new one when omitted. The bus deletes it on dispose unless <paramref name="shared"/>.</param>
    /// <param name="store">The store (SQLite when omitted).</param>
    /// <param name="shared">Another bus (node) owns the location: this one leaves it in place on dispose.</param>
    public static async Task<BenchBus> CreateAsync(int connectorCount, Action<IntegrationBusBuilder>? configure = null, string? path = null, BenchStore? store = null, bool shared = false)
    {
        store ??= BenchStore.Sqlite;
        path ??= store.NewLocation();
        var connectors = Enumerable.Range(1, connectorCount).Select(i => new BenchConnector($"bench{i}")).ToList();
        var services = new ServiceCollection();
        var idle = new IdleListener();
        // Only the runner-idle event is switched on, so per-task Debug events cost nothing here.
        services.AddLogging(logging => logging.AddProvider(idle).AddFilter((category, level) => category == IdleListener.Category && level >= LogLevel.Debug));
        services.AddIntegrationBus(bus =>
        {
            store.Use(bus, path);
            bus.AddObjectType(BenchTypes.Item);
            foreach (var connector in connectors)
            {
                bus.AddConnector(connector);
            }

            configure?.Invoke(bus);
        });
        var bench = new BenchBus(services.BuildServiceProvider(), store, path, !shared, connectors);
        idle.OnIdle = bench.OnRunnerWaiting;
        await bench.Management.GetSettingsAsync();
        return bench;
    }

    /// <summary>Logs <paramref name="count"/> changes in scopes of <paramref name="scopeSize"/> (1 = no scope).</summary>
    public async Task LogAsync(long firstId, int count, int scopeSize)
    {
        var bus = Bus;
        if (scopeSize <= 1)
        {
            for (var i = 0; i < count; i++)
            {
                await bus.LogChangeAsync(BenchTypes.NewItem(firstId + i), TaskType.CreateObject);
            }

            return;
        }

        for (var done = 0; done < count; done += scopeSize)
        {
            var scope = bus.BeginScope();
            await using (scope)
            {
                var n = Math.Min(scopeSize, count - done);
                for (var i = 0; i < n; i++)
                {
                    await bus.LogChangeAsync(BenchTypes.NewItem(firstId + done + i), TaskType.CreateObject);
                }

                await scope.CompleteAsync();
            }
        }
    }

    /// <summary>Starts the runners (processing begins at once: their first pass looks at the queue).</summary>
    public async Task StartAsync()
    {
        foreach (var hosted in _hosted)
        {
            await hosted.StartAsync(CancellationToken.None);
        }

        _started = true;
    }

    /// <summary>Completes when the connector's runner next waits after the connector reached its expected count.</summary>
    public Task DrainedAsync(BenchConnector connector)
    {
        var source = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            _drained[connector.Name] = source;
        }

        return source.Task;
    }

    /// <summary>Completes when the connector's incoming runner next waits after <paramref name="reached"/> became true.</summary>
    public Task IncomingDrainedAsync(BenchConnector connector, Func<bool> reached)
    {
        var source = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            _incomingDrained[connector.Name] = (source, reached);
        }

        return source.Task;
    }

    /// <summary>Lets the store's database finish what the seed left it (see <see cref="BenchStore.SettleAsync"/>).</summary>
    public Task SettleAsync() => _store.SettleAsync(Path);

    public async Task<long> CountQueuedAsync()
    {
        long total = 0;
        foreach (var connector in Connectors)
        {
            total += await Store.Management.CountTasksAsync(new TaskQuery { Connector = connector.Name }, CancellationToken.None);
        }

        return total;
    }

    public async ValueTask DisposeAsync()
    {
        if (_started)
        {
            foreach (var hosted in _hosted)
            {
                await hosted.StopAsync(CancellationToken.None);
            }
        }

        await _provider.DisposeAsync();
        if (_ownsLocation)
        {
            await _store.DeleteAsync(Path);
        }
    }

    private void OnRunnerWaiting(string connectorName, TaskDirection direction)
    {
        if (direction == TaskDirection.Incoming)
        {
            lock (_lock)
            {
                if (_incomingDrained.TryGetValue(connectorName, out var entry) && entry.Reached())
                {
                    _incomingDrained.Remove(connectorName);
                    entry.Source.TrySetResult();
                }
            }

            return;
        }

        if (direction != TaskDirection.Outgoing)
        {
            return;
        }

        var connector = Connectors.First(c => c.Name == connectorName);
        if (!connector.Reached.IsCompleted)
        {
            return;
        }

        lock (_lock)
        {
            if (_drained.Remove(connectorName, out var source))
            {
                source.TrySetResult();
            }
        }
    }
}
