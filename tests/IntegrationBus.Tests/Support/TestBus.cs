using IntegrationBus.Management;
using IntegrationBus.Sqlite;
using IntegrationBus.Storage;
using IntegrationBus.TestKit;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace IntegrationBus.Tests.Support;

/// <summary>A bus on a temp SQLite file with fake time, its hosted runners started.</summary>
public sealed class TestBus : IAsyncDisposable
{
    private readonly ServiceProvider _provider;
    private readonly List<IHostedService> _hosted;
    private readonly LogSignals _signals;
    private readonly bool _ownsFile;
    private bool _stopped;

    private TestBus(ServiceProvider provider, string path, bool ownsFile, FakeTimeProvider time, LogSignals signals)
    {
        _provider = provider;
        _ownsFile = ownsFile;
        Path = path;
        Time = time;
        _signals = signals;
        _hosted = [.. provider.GetServices<IHostedService>()];
    }

    public string Path { get; }

    public string ConnectionString => $"Data Source={Path}";

    public FakeTimeProvider Time { get; }

    public IntegrationBusService Bus => _provider.GetRequiredService<IntegrationBusService>();

    public IntegrationBusManagement Management => _provider.GetRequiredService<IntegrationBusManagement>();

    public TaskStore Store => _provider.GetRequiredService<TaskStore>();

    public IServiceProvider Services => _provider;

    public IntegrationBusOptions Options => _provider.GetRequiredService<IntegrationBusOptions>();

    /// <summary>Gets the bus's log events as awaitable signals.</summary>
    public LogSignals Signals => _signals;

    public static async Task<TestBus> StartAsync(
        IEnumerable<Connector> connectors,
        Action<IntegrationBusBuilder>? configure = null,
        bool start = true,
        Action<ConnectorOptions>? connectorOptions = null,
        Action<IServiceCollection>? services = null,
        string? path = null,
        FakeTimeProvider? time = null)
    {
        // A file the test passes in is shared by several buses (nodes): the test deletes it once they are all disposed.
        var ownsFile = path is null;
        path ??= SharedDatabaseFile.NewPath();
        time ??= new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var signals = new LogSignals();
        var collection = new ServiceCollection();
        collection.AddSingleton<TimeProvider>(time);
        collection.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Debug).AddProvider(signals));
        var builder = collection.AddIntegrationBus(bus =>
        {
            bus.UseSqlite($"Data Source={path}");
            foreach (var type in SampleTypes.All)
            {
                bus.AddObjectType(type);
            }

            foreach (var connector in connectors)
            {
                bus.AddConnector(connector, connectorOptions);
            }
        });
        configure?.Invoke(builder);
        services?.Invoke(collection);
        var testBus = new TestBus(collection.BuildServiceProvider(validateScopes: true), path, ownsFile, time, signals);
        if (start)
        {
            await testBus.StartHostAsync();
        }

        return testBus;
    }

    /// <summary>Makes the bus ready (schema, connectors, settings) without starting its runners.</summary>
    public Task EnsureStartedAsync() => _provider.GetRequiredService<BusStartup>().EnsureStartedAsync(TestContext.Current.CancellationToken);

    /// <summary>Starts the runners and returns once each has made its first pass and waits.</summary>
    public async Task StartHostAsync()
    {
        var idle = Bus.Connectors
            .SelectMany(c => new[] { NextRunnerIdleAsync(c.Name), NextRunnerIdleAsync(c.Name, TaskDirection.Incoming) })
            .ToList();
        foreach (var hosted in _hosted)
        {
            await hosted.StartAsync(TestContext.Current.CancellationToken);
        }

        await Task.WhenAll(idle);
    }

    /// <summary>Completes when the connector's runner next starts to wait with a due time (not just the sweep).</summary>
    public Task<TimeSpan> NextRunnerWaitAsync(string connector, TaskDirection direction = TaskDirection.Outgoing) =>
        _signals.NextRunnerWaitAsync(connector, direction, wait => wait < Options.SweepInterval);

    /// <summary>Completes when the connector's runner next starts to wait for anything, the sweep included (it is idle).</summary>
    public Task<TimeSpan> NextRunnerIdleAsync(string connector, TaskDirection direction = TaskDirection.Outgoing) =>
        _signals.NextRunnerWaitAsync(connector, direction, _ => true);

    /// <summary>Completes when the next event with that ID for the connector and direction is logged.</summary>
    public Task<IReadOnlyDictionary<string, object?>> NextEventAsync(int eventId, string connector, TaskDirection direction = TaskDirection.Outgoing) =>
        _signals.NextQueueEventAsync(eventId, connector, direction);

    /// <summary>Lists every task row (task × connector), optionally of one connector.</summary>
    public async Task<IReadOnlyList<TaskSummary>> ListAsync(string? connector = null, TaskDirection? direction = null) =>
        (await Management.ListTasksAsync(new TaskQuery { Connector = connector, Direction = direction, Limit = IntegrationBusManagement.MaxPageSize }, TestContext.Current.CancellationToken)).Items;

    public async Task StopHostAsync()
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        foreach (var hosted in _hosted)
        {
            await hosted.StopAsync(CancellationToken.None);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopHostAsync();

        await _provider.DisposeAsync();
        if (_ownsFile)
        {
            SharedDatabaseFile.Delete(Path);
        }
    }
}
