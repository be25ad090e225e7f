using IntegrationBus.Connectors;
using IntegrationBus.Hosting;
using IntegrationBus.Model;
using IntegrationBus.Outgoing;
using IntegrationBus.Sqlite;
using IntegrationBus.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace IntegrationBus.Tests.Support;

/// <summary>A bus on a temp SQLite file with fake time, its hosted runners started.</summary>
public sealed class TestBus : IAsyncDisposable
{
    private readonly ServiceProvider _provider;
    private readonly List<IHostedService> _hosted;
    private readonly Lock _lock = new();
    private bool _stopped;
    private readonly List<(string Connector, TaskDirection Direction, bool Idle, TaskCompletionSource<TimeSpan> Source)> _waitWaiters = [];

    private TestBus(ServiceProvider provider, string path, FakeTimeProvider time)
    {
        _provider = provider;
        Path = path;
        Time = time;
        _hosted = [.. provider.GetServices<IHostedService>()];
        Runtime.RunnerWaiting = OnRunnerWaiting;
    }

    public string Path { get; }

    public string ConnectionString => $"Data Source={Path}";

    public FakeTimeProvider Time { get; }

    public IntegrationBusService Bus => _provider.GetRequiredService<IntegrationBusService>();

    public ITaskStore Store => _provider.GetRequiredService<ITaskStore>();

    internal BusRuntime Runtime => _provider.GetRequiredService<BusRuntime>();

    public static async Task<TestBus> StartAsync(
        IEnumerable<Connector> connectors,
        Action<IntegrationBusBuilder>? configure = null,
        bool start = true,
        Action<ConnectorOptions>? connectorOptions = null)
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"ibus-test-{Guid.NewGuid():N}.db");
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(time);
        var builder = services.AddIntegrationBus(bus =>
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
        var testBus = new TestBus(services.BuildServiceProvider(validateScopes: true), path, time);
        if (start)
        {
            await testBus.StartHostAsync();
        }

        return testBus;
    }

    /// <summary>Starts the runners and returns once each has made its first pass and waits.</summary>
    public async Task StartHostAsync()
    {
        var idle = Runtime.Connectors.Connectors
            .SelectMany(c => new[] { NextRunnerIdleAsync(c.Name), NextRunnerIdleAsync(c.Name, TaskDirection.Incoming) })
            .ToList();
        foreach (var hosted in _hosted)
        {
            await hosted.StartAsync(TestContext.Current.CancellationToken);
        }

        await Task.WhenAll(idle);
    }

    /// <summary>Completes when the connector's runner next starts to wait with a due time (not just the sweep).</summary>
    public Task<TimeSpan> NextRunnerWaitAsync(string connector, TaskDirection direction = TaskDirection.Outgoing) => NextWaitAsync(connector, direction, idle: false);

    /// <summary>Completes when the connector's runner next starts to wait for anything, the sweep included (it is idle).</summary>
    public Task<TimeSpan> NextRunnerIdleAsync(string connector, TaskDirection direction = TaskDirection.Outgoing) => NextWaitAsync(connector, direction, idle: true);

    private Task<TimeSpan> NextWaitAsync(string connector, TaskDirection direction, bool idle)
    {
        var source = new TaskCompletionSource<TimeSpan>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            _waitWaiters.Add((connector, direction, idle, source));
        }

        return source.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
    }

    public async Task<IReadOnlyList<TaskSummary>> ListAsync(string? connector = null) =>
        await Store.ListAsync(new TaskQuery(Connector: connector, Limit: 10_000), TestContext.Current.CancellationToken);

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
        SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(Path + suffix);
        }
    }

    private void OnRunnerWaiting(string connector, TaskDirection direction, TimeSpan delay)
    {
        var due = delay < Runtime.Options.SweepInterval;
        lock (_lock)
        {
            foreach (var waiter in _waitWaiters.Where(w => w.Connector == connector && w.Direction == direction && (w.Idle || due)).ToList())
            {
                waiter.Source.TrySetResult(delay);
                _waitWaiters.Remove(waiter);
            }
        }
    }
}
