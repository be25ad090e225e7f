using System.Collections.Concurrent;
using IntegrationBus.Management;
using IntegrationBus.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace IntegrationBus.PostgreSql.Tests.Processing;

/// <summary>A bus node on a PostgreSQL schema with one connector ordered per object (<c>crm</c>), its hosted runners started; several may share a schema.</summary>
internal sealed class PgKeyedBus : IAsyncDisposable
{
    public const string TypeName = "test.item";

    public static readonly ObjectTypeInfo Type = new ObjectTypeBuilder(TypeName).Id("ItemID").Guid("ItemGuid").Fields("Sequence").Build();

    private readonly ServiceProvider _provider;
    private readonly List<IHostedService> _hosted;

    private PgKeyedBus(ServiceProvider provider)
    {
        _provider = provider;
        _hosted = [.. provider.GetServices<IHostedService>()];
    }

    public IntegrationBusService Bus => _provider.GetRequiredService<IntegrationBusService>();

    public IntegrationBusManagement Management => _provider.GetRequiredService<IntegrationBusManagement>();

    public TaskStore Store => _provider.GetRequiredService<TaskStore>();

    /// <summary>Starts a node: per object, <paramref name="parallelism"/> keys at once per partition, every call through <paramref name="recorder"/>.</summary>
    public static async Task<PgKeyedBus> StartAsync(
        PostgreSqlTestServer server, string schema, KeyRecorder recorder, int parallelism, int partitions = 1, int? maxAttempts = null, bool start = true, string node = "a",
        ScopeRecorder? scopes = null)
    {
        var services = new ServiceCollection().AddLogging(logging =>
        {
            if (scopes is not null)
            {
                logging.AddProvider(scopes);
            }
        });
        services.AddIntegrationBus(builder => builder
            .UsePostgreSql(server.ConnectionString, store => store.Schema = schema)
            .AddObjectType(Type)
            .AddConnector(new RecordingConnector(recorder, node), o =>
            {
                o.Ordering = Ordering.PerObject;
                o.MaxDegreeOfParallelism = parallelism;
                o.Partitions = partitions;
                o.MaxAttempts = maxAttempts;
            })
            .Configure(o =>
            {
                o.BatchSize = 10;
                o.RetryDelay = TimeSpan.FromMilliseconds(20);
                o.MaxRetryDelay = TimeSpan.FromMilliseconds(100);
                o.LeaseDuration = TimeSpan.FromSeconds(6);
                o.SweepInterval = TimeSpan.FromMilliseconds(500);
            }));
        var bus = new PgKeyedBus(services.BuildServiceProvider());
        if (start)
        {
            await bus.StartAsync();
        }

        return bus;
    }

    public async Task StartAsync()
    {
        foreach (var hosted in _hosted)
        {
            await hosted.StartAsync(TestContext.Current.CancellationToken);
        }
    }

    /// <summary>Logs <paramref name="updates"/> updates of each of <paramref name="keys"/> items, interleaved, in one scope; returns each key's sequence.</summary>
    public async Task<Dictionary<Guid, List<int>>> LogKeysAsync(int keys, int updates)
    {
        var guids = Enumerable.Range(0, keys).Select(_ => Guid.NewGuid()).ToList();
        var logged = guids.ToDictionary(g => g, _ => new List<int>());
        await using var scope = Bus.BeginScope();
        for (var sequence = 0; sequence < updates; sequence++)
        {
            for (var key = 0; key < keys; key++)
            {
                var item = new BusObject(Type) { ["ItemID"] = (long)(key + 1), ["ItemGuid"] = guids[key], ["Sequence"] = sequence.ToString(System.Globalization.CultureInfo.InvariantCulture) };
                await Bus.LogChangeAsync(item, TaskType.UpdateObject, TestContext.Current.CancellationToken);
                logged[guids[key]].Add(sequence);
            }
        }

        await scope.CompleteAsync(TestContext.Current.CancellationToken);
        return logged;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var hosted in Enumerable.Reverse(_hosted))
        {
            await hosted.StopAsync(CancellationToken.None);
        }

        await _provider.DisposeAsync();
    }

    private sealed class RecordingConnector(KeyRecorder recorder, string node) : Connector("crm")
    {
        protected override void Subscribe(SubscriptionBuilder subscriptions) => subscriptions.Objects(TypeName, SubscriptionMode.AsyncSimple);

        protected override Task<TaskResult> ProcessOutgoingAsync(OutgoingTask task, CancellationToken cancellationToken) => recorder.CallAsync(task, node);
    }
}

/// <summary>
/// Decides every call's result and records, per key, the sequences delivered (OK), the most calls at once, and whether
/// one key was ever called twice at once (across every node of the process).
/// </summary>
internal sealed class KeyRecorder
{
    private readonly ConcurrentDictionary<Guid, int> _inFlight = new();
    private readonly Lock _lock = new();
    private readonly Dictionary<Guid, List<int>> _delivered = [];
    private readonly List<(int Count, TaskCompletionSource Signal)> _waiters = [];
    private int _running;
    private int _deliveries;

    /// <summary>Gets or sets the result of a call (the default: OK).</summary>
    public Func<Guid, int, TaskResult> Result { get; set; } = (_, _) => TaskResult.Ok;

    public int MaxConcurrency { get; private set; }

    public bool KeyRanTwiceAtOnce { get; private set; }

    /// <summary>Gets the sequences delivered (answered OK) per key, in the order of the calls.</summary>
    public Dictionary<Guid, List<int>> Delivered
    {
        get
        {
            lock (_lock)
            {
                return _delivered.ToDictionary(k => k.Key, k => k.Value.ToList());
            }
        }
    }

    /// <summary>Gets the number of calls made per key.</summary>
    public ConcurrentDictionary<Guid, int> Calls { get; } = new();

    /// <summary>Gets the number of calls made per node.</summary>
    public ConcurrentDictionary<string, int> CallsByNode { get; } = new();

    /// <summary>Gets or sets how long a call takes.</summary>
    public TimeSpan Delay { get; set; } = TimeSpan.FromMilliseconds(2);

    public async Task<TaskResult> CallAsync(OutgoingTask task, string node)
    {
        CallsByNode.AddOrUpdate(node, 1, (_, c) => c + 1);
        var key = task.Object.Guid!.Value;
        var sequence = int.Parse(task.Object.GetString("Sequence")!, System.Globalization.CultureInfo.InvariantCulture);
        Calls.AddOrUpdate(key, 1, (_, c) => c + 1);
        if (!_inFlight.TryAdd(key, 0))
        {
            KeyRanTwiceAtOnce = true;
        }

        var running = Interlocked.Increment(ref _running);
        lock (_lock)
        {
            MaxConcurrency = Math.Max(MaxConcurrency, running);
        }

        try
        {
            // Let other keys' calls overlap this one, so the limit is reached when it can be.
            await Task.Delay(Delay);
            var result = Result(key, sequence);
            if (result.Kind == TaskResultKind.Ok)
            {
                lock (_lock)
                {
                    if (!_delivered.TryGetValue(key, out var list))
                    {
                        _delivered[key] = list = [];
                    }

                    list.Add(sequence);
                    _deliveries++;
                    foreach (var waiter in _waiters.Where(w => _deliveries >= w.Count))
                    {
                        waiter.Signal.TrySetResult();
                    }
                }
            }

            return result;
        }
        finally
        {
            Interlocked.Decrement(ref _running);
            _inFlight.TryRemove(key, out _);
        }
    }

    /// <summary>Completes once <paramref name="count"/> calls were answered OK (fails after 60 s).</summary>
    public Task DeliveredAsync(int count)
    {
        var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            if (_deliveries >= count)
            {
                return Task.CompletedTask;
            }

            _waiters.Add((count, signal));
        }

        return signal.Task.WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
    }
}

/// <summary>Records, for every event with one ID, the logging scopes' values around it (as <c>name=value</c>).</summary>
internal sealed class ScopeRecorder(int eventId) : ILoggerProvider, ISupportExternalScope
{
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public ConcurrentBag<string[]> Seen { get; } = [];

    public ILogger CreateLogger(string categoryName) => new Listener(this);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
    }

    private sealed class Listener(ScopeRecorder owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => owner._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (eventId.Id != owner.EventIdToRecord)
            {
                return;
            }

            var values = new List<string>();
            owner._scopes.ForEachScope(
                (scope, list) =>
                {
                    if (scope is IEnumerable<KeyValuePair<string, object>> pairs)
                    {
                        list.AddRange(pairs.Select(p => $"{p.Key}={p.Value}"));
                    }
                },
                values);
            owner.Seen.Add([.. values]);
        }
    }

    private int EventIdToRecord => eventId;
}
