using System.Collections.Concurrent;
using IntegrationBus.Storage;
using IntegrationBus.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace IntegrationBus.Tests.Processing;

/// <summary>Ordering per object (issue 13): order per key, parallel keys, a failure holds back only its key.</summary>
public sealed class PerObjectOrderingTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RunAsync_PerObjectUnderRandomErrors_EveryKeyDeliveredInLoggingOrder()
    {
        var recorder = new KeyRecorder();
        var random = new Random(1301);
        var crm = Crm();
        crm.AsyncBehaviour = (task, _) => recorder.CallAsync(task, () =>
        {
            lock (random)
            {
                return random.NextDouble() < 0.3 ? TaskResult.Error("flaky", TimeSpan.FromSeconds(1)) : TaskResult.Ok;
            }
        });
        await using var bus = await TestBus.StartAsync([], b => b.Configure(o => o.BatchSize = 10).AddConnector(crm, PerObject(4)), start: false);
        await bus.EnsureStartedAsync();
        var logged = await LogKeysAsync(bus, keys: 12, updates: 6);

        await bus.StartHostAsync();
        await DrainAsync(bus);

        Assert.Equal(logged, recorder.Delivered.ToDictionary(k => k.Key, k => k.Value.ToList()));
        Assert.False(recorder.KeyRanTwiceAtOnce);
        Assert.InRange(recorder.MaxConcurrency, 2, 4);
    }

    [Fact]
    public async Task RunAsync_PerObjectOneKeyFails_OtherKeysDeliveredAndFailingKeyWaitsForItsRetry()
    {
        var recorder = new KeyRecorder();
        var crm = Crm();
        var failing = Guid.Empty;
        crm.AsyncBehaviour = (task, _) => recorder.CallAsync(task, () => task.Object.Guid == failing ? TaskResult.Error("refused", TimeSpan.FromSeconds(5)) : TaskResult.Ok);
        await using var bus = await TestBus.StartAsync([], b => b.AddConnector(crm, PerObject(4)), start: false);
        await bus.EnsureStartedAsync();
        var logged = await LogKeysAsync(bus, keys: 5, updates: 3);
        var first = failing = logged.Keys.First();

        await bus.StartHostAsync();
        await UntilAsync(bus, async () => recorder.Delivered.Count == 4 && (await bus.ListAsync("crm")).Count == 3);

        Assert.Equal([logged[first][0]], crm.Calls.Where(c => c.Object.Guid == first).Select(Sequence).Distinct());
        foreach (var (key, sequence) in logged.Where(k => k.Key != first))
        {
            Assert.Equal(sequence, recorder.Delivered[key]);
        }

        var rows = await bus.ListAsync("crm");
        Assert.Equal([SynchronizationStatus.Error, SynchronizationStatus.Pending, SynchronizationStatus.Pending], rows.OrderBy(r => r.TaskId).Select(r => r.Status));

        failing = Guid.Empty;
        bus.Time.Advance(TimeSpan.FromSeconds(5));
        await UntilAsync(bus, async () => (await bus.ListAsync("crm")).Count == 0);
        Assert.Equal(logged[first], recorder.Delivered[first]);
    }

    [Fact]
    public async Task RunAsync_PerObjectTaskParked_KeyBlockedUntilRetriedWhileOtherKeysFlow()
    {
        var recorder = new KeyRecorder();
        var crm = Crm();
        var refuse = true;
        var user = SampleTypes.NewUser(1, "parked");
        crm.AsyncBehaviour = (task, _) => recorder.CallAsync(task, () => refuse && task.Object.Guid == user.Guid ? TaskResult.Error("refused") : TaskResult.Ok);
        await using var bus = await TestBus.StartAsync([], b => b.AddConnector(crm, PerObject(4, maxAttempts: 1)));

        await bus.Bus.LogChangeAsync(user, TaskType.CreateObject, Token);
        await UntilAsync(bus, async () => (await bus.ListAsync("crm")).Single().Status == SynchronizationStatus.Failed);
        for (var i = 0; i < 3; i++)
        {
            // Later tasks of the parked key wait, across runs; new keys keep flowing.
            await bus.Bus.LogChangeAsync(Update(user, i), TaskType.UpdateObject, Token);
            await bus.Bus.LogChangeAsync(SampleTypes.NewUser(100 + i, $"other{i}"), TaskType.CreateObject, Token);
            await UntilAsync(bus, async () => recorder.Delivered.Count == i + 1 && (await bus.ListAsync("crm")).Count == i + 2);
        }

        var parked = (await bus.ListAsync("crm")).OrderBy(r => r.TaskId).ToList();
        Assert.Equal([SynchronizationStatus.Failed, SynchronizationStatus.Pending, SynchronizationStatus.Pending, SynchronizationStatus.Pending], parked.Select(r => r.Status));
        Assert.Single(crm.Calls, c => c.Object.Guid == user.Guid);

        refuse = false;
        Assert.Equal(1, await bus.Management.RetryTaskAsync(parked[0].TaskId, "crm", cancellationToken: Token));
        await UntilAsync(bus, async () => (await bus.ListAsync("crm")).Count == 0);

        Assert.Equal(["parked", "0@x", "1@x", "2@x"], recorder.Delivered[user.Guid!.Value]);
    }

    [Fact]
    public async Task RunAsync_PerObjectParkedHeadDeleted_LaterTasksOfTheKeyGo()
    {
        var crm = Crm();
        var user = SampleTypes.NewUser(1, "parked");
        crm.Behaviour = task => task.Object.CodeName == "parked" && task.Object.GetString("Email") != "1@x" ? TaskResult.Error("refused") : TaskResult.Ok;
        await using var bus = await TestBus.StartAsync([], b => b.AddConnector(crm, PerObject(4, maxAttempts: 1)), start: false);
        await bus.EnsureStartedAsync();
        await bus.Bus.LogChangeAsync(user, TaskType.CreateObject, Token);
        await bus.Bus.LogChangeAsync(Update(user, 1), TaskType.UpdateObject, Token);
        await bus.StartHostAsync();
        await UntilAsync(bus, async () => (await bus.ListAsync("crm")).OrderBy(r => r.TaskId).First().Status == SynchronizationStatus.Failed);
        var head = (await bus.ListAsync("crm")).OrderBy(r => r.TaskId).First();
        Assert.Single(crm.Calls);

        Assert.Equal(1, await bus.Management.DeleteTaskAsync(head.TaskId, "crm", cancellationToken: Token));
        await UntilAsync(bus, async () => (await bus.ListAsync("crm")).Count == 0);

        Assert.Equal(["parked", "1@x"], crm.Calls.Select(Sequence));
    }

    [Fact]
    public async Task RunAsync_PerObjectParallelCalls_ReachTheLimitButNeverMoreAndNeverOneKeyTwice()
    {
        var recorder = new KeyRecorder();
        var full = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var crm = Crm();
        crm.AsyncBehaviour = (task, token) => recorder.CallAsync(task, async () =>
        {
            if (recorder.Concurrency == 3)
            {
                full.TrySetResult();
            }

            await release.Task.WaitAsync(token);
            return TaskResult.Ok;
        });
        await using var bus = await TestBus.StartAsync([], b => b.AddConnector(crm, PerObject(3)), start: false);
        await bus.EnsureStartedAsync();
        var logged = await LogKeysAsync(bus, keys: 8, updates: 4);

        var starting = bus.StartHostAsync();
        await full.Task.WaitAsync(TimeSpan.FromSeconds(30), Token);
        release.SetResult();
        await starting;
        await UntilAsync(bus, async () => (await bus.ListAsync("crm")).Count == 0);

        Assert.Equal(3, recorder.MaxConcurrency);
        Assert.False(recorder.KeyRanTwiceAtOnce);
        Assert.Equal(logged, recorder.Delivered.ToDictionary(k => k.Key, k => k.Value.ToList()));
    }

    [Fact]
    public async Task RunAsync_ConnectorOrderingWithParallelismSet_OneCallAtATimeAndAnErrorStopsEveryKey()
    {
        var recorder = new KeyRecorder();
        var crm = Crm();
        var first = Guid.Empty;
        crm.AsyncBehaviour = (task, _) => recorder.CallAsync(task, () => task.Object.Guid == first ? TaskResult.Error("refused", TimeSpan.FromMinutes(1)) : TaskResult.Ok);
        await using var bus = await TestBus.StartAsync([], b => b.AddConnector(crm, o => o.MaxDegreeOfParallelism = 16), start: false);
        await bus.EnsureStartedAsync();
        var logged = await LogKeysAsync(bus, keys: 4, updates: 2);
        first = logged.Keys.First();

        await bus.StartHostAsync();

        Assert.Single(crm.Calls);
        Assert.Empty(recorder.Delivered);
        first = Guid.Empty;
        bus.Time.Advance(TimeSpan.FromMinutes(1));
        await UntilAsync(bus, async () => (await bus.ListAsync("crm")).Count == 0);
        Assert.Equal(1, recorder.MaxConcurrency);
        Assert.Equal(logged, recorder.Delivered.ToDictionary(k => k.Key, k => k.Value.ToList()));
    }

    [Fact]
    public async Task LogChangeAsync_PerObjectConnector_KeyIsTheObjectGuidOrTheSelectorsKey()
    {
        var plain = new RecordingConnector("plain", s => s.Objects("%", SubscriptionMode.AsyncSimpleSnapshot));
        var keyed = new RecordingConnector("keyed", s => s.Objects("%", SubscriptionMode.AsyncSimpleSnapshot));
        var byOwner = new RecordingConnector("byowner", s => s.Objects("%", SubscriptionMode.AsyncSimpleSnapshot));
        var lookups = new InMemoryDataSource();
        await using var bus = await TestBus.StartAsync([], b => b
            .AddConnector(plain)
            .AddConnector(keyed, o => o.Ordering = Ordering.PerObject)
            .AddConnector(byOwner, o =>
            {
                o.Ordering = Ordering.PerObject;
                o.OrderingKey = s => s.References.TryGetValue("OwnerUserID", out var owner) ? $"owner:{owner.Guid}" : null;
            }).Services.AddSingleton<IObjectDataSource>(lookups), start: false);
        await bus.EnsureStartedAsync();
        var user = SampleTypes.NewUser(7, "owner");
        var role = SampleTypes.Create(SampleTypes.Role, ("RoleID", 3L), ("RoleName", "editors"), ("SiteName", "main"));
        await bus.Bus.LogChangeAsync(user, TaskType.CreateObject, Token);
        await bus.Bus.LogChangeAsync(role, TaskType.CreateObject, Token);
        var poll = SampleTypes.NewPoll(5, ownerId: 7);
        lookups.Add(user);
        await bus.Bus.LogChangeAsync(poll, TaskType.CreateObject, Token);

        Assert.Equal([null, null, null], await KeysAsync(bus, "plain"));
        Assert.Equal([user.Guid.ToString(), "cms.role:3", poll.Guid.ToString()], await KeysAsync(bus, "keyed"));
        Assert.Equal([user.Guid.ToString(), "cms.role:3", $"owner:{user.Guid}"], await KeysAsync(bus, "byowner"));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(257)]
    public async Task AddConnector_MaxDegreeOfParallelismOutOfRange_FailsNamingConnectorOptionAndRange(int value)
    {
        var exception = await Assert.ThrowsAsync<OptionsValidationException>(
            () => TestBus.StartAsync([], b => b.AddConnector(Crm(), o => o.MaxDegreeOfParallelism = value), start: false));

        Assert.Contains("crm.MaxDegreeOfParallelism must be between 1 and 256", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddConnector_PartitionsUnderConnectorOrdering_FailsNamingConnectorAndRule()
    {
        var exception = await Assert.ThrowsAsync<OptionsValidationException>(
            () => TestBus.StartAsync([], b => b.AddConnector(Crm(), o => o.Partitions = 4), start: false));

        Assert.Contains("Connector 'crm': Partitions is 4, which needs Ordering = PerObject", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_PartitionsOnAStoreThatCannotSplitQueues_QueueRunsWholeInOrderAndItIsLoggedOnce()
    {
        var recorder = new KeyRecorder();
        var crm = Crm();
        crm.AsyncBehaviour = (task, _) => recorder.CallAsync(task, () => TaskResult.Ok);
        await using var bus = await TestBus.StartAsync([], b => b.AddConnector(crm, o =>
        {
            PerObject(4)(o);
            o.Partitions = 8;
        }), start: false);
        await bus.EnsureStartedAsync();
        var logged = await LogKeysAsync(bus, keys: 6, updates: 3);

        await bus.StartHostAsync();
        await DrainAsync(bus);

        Assert.Equal(logged, recorder.Delivered.ToDictionary(k => k.Key, k => k.Value.ToList()));
        Assert.False(recorder.KeyRanTwiceAtOnce);
        var ignored = Assert.Single(bus.Signals.Seen, e => e.EventId == 1015);
        Assert.Equal("crm", ignored.State["ConnectorName"]);
        Assert.Equal(8, ignored.State["Partitions"]);
    }

    private static RecordingConnector Crm() => new("crm", s => s.Objects("cms.user", SubscriptionMode.AsyncSimple));

    private static Action<ConnectorOptions> PerObject(int parallelism, int? maxAttempts = null) => o =>
    {
        o.Ordering = Ordering.PerObject;
        o.MaxDegreeOfParallelism = parallelism;
        o.MaxAttempts = maxAttempts;
    };

    private static string Sequence(OutgoingTask task) => task.Object.GetString("Email") is { } email && email.EndsWith("@x", StringComparison.Ordinal) ? email : task.Object.CodeName!;

    private static BusObject Update(BusObject user, int sequence) =>
        SampleTypes.Create(SampleTypes.User, ("UserID", user.Id), ("UserGuid", user.Guid), ("UserName", user.CodeName), ("Email", $"{sequence}@x"));

    /// <summary>Logs <paramref name="updates"/> changes of each of <paramref name="keys"/> users, interleaved; returns each key's logged sequence.</summary>
    private static async Task<Dictionary<Guid, List<string>>> LogKeysAsync(TestBus bus, int keys, int updates)
    {
        var users = Enumerable.Range(1, keys).Select(i => SampleTypes.NewUser(i, $"u{i}")).ToList();
        var logged = users.ToDictionary(u => u.Guid!.Value, _ => new List<string>());
        for (var sequence = 0; sequence < updates; sequence++)
        {
            foreach (var user in users)
            {
                await bus.Bus.LogChangeAsync(Update(user, sequence), TaskType.UpdateObject, Token);
                logged[user.Guid!.Value].Add($"{sequence}@x");
            }
        }

        return logged;
    }

    /// <summary>Moves the clock a second at a time and wakes the runner until the queue is empty.</summary>
    private static async Task DrainAsync(TestBus bus)
    {
        for (var round = 0; round < 200 && (await bus.ListAsync("crm")).Count > 0; round++)
        {
            var idle = bus.NextRunnerIdleAsync("crm");
            bus.Time.Advance(TimeSpan.FromSeconds(1));
            await bus.Bus.RequestProcessingAsync("crm", cancellationToken: Token);
            await idle;
        }

        Assert.Empty(await bus.ListAsync("crm"));
    }

    /// <summary>Lets the runner make runs (each awaited to its idle wait) until the condition holds.</summary>
    private static async Task UntilAsync(TestBus bus, Func<Task<bool>> condition)
    {
        for (var round = 0; round < 50; round++)
        {
            if (await condition())
            {
                return;
            }

            var idle = bus.NextRunnerIdleAsync("crm");
            await bus.Bus.RequestProcessingAsync("crm", cancellationToken: Token);
            await idle;
        }

        Assert.Fail("The condition did not hold after 50 runs.");
    }

    private static async Task<List<string?>> KeysAsync(TestBus bus, string connector) =>
        [.. (await bus.Store.Queue.FetchAsync(new FetchRequest { Queue = new QueueKey(connector, TaskDirection.Outgoing), Limit = 10, Now = bus.Time.GetUtcNow() }, Token)).Select(t => t.OrderingKey)];

    /// <summary>Records every key's delivered (OK) sequence, the calls in flight, and whether one key ever ran twice at once.</summary>
    private sealed class KeyRecorder
    {
        private readonly ConcurrentDictionary<Guid, byte> _inFlight = new();
        private int _concurrency;
        private int _maxConcurrency;

        public ConcurrentDictionary<Guid, List<string>> Delivered { get; } = new();

        public bool KeyRanTwiceAtOnce { get; private set; }

        public int Concurrency => Volatile.Read(ref _concurrency);

        public int MaxConcurrency => Volatile.Read(ref _maxConcurrency);

        public Task<TaskResult> CallAsync(OutgoingTask task, Func<TaskResult> result) => CallAsync(task, () => Task.FromResult(result()));

        public async Task<TaskResult> CallAsync(OutgoingTask task, Func<Task<TaskResult>> result)
        {
            var key = task.Object.Guid!.Value;
            if (!_inFlight.TryAdd(key, 0))
            {
                KeyRanTwiceAtOnce = true;
            }

            var now = Interlocked.Increment(ref _concurrency);
            for (var max = MaxConcurrency; now > max && Interlocked.CompareExchange(ref _maxConcurrency, now, max) != max; max = MaxConcurrency)
            {
            }

            try
            {
                // A real hop, so other keys' calls overlap this one.
                await Task.Yield();
                var outcome = await result();
                if (outcome.Kind == TaskResultKind.Ok)
                {
                    var delivered = Delivered.GetOrAdd(key, _ => []);
                    lock (delivered)
                    {
                        delivered.Add(Sequence(task));
                    }
                }

                return outcome;
            }
            finally
            {
                Interlocked.Decrement(ref _concurrency);
                _inFlight.TryRemove(key, out _);
            }
        }
    }
}
