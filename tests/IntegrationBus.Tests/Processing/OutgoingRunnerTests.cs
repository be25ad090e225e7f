using IntegrationBus.Storage;
using IntegrationBus.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationBus.Tests.Processing;

public sealed class OutgoingRunnerTests
{
    private static RecordingConnector Crm() => new("crm", s => s.Objects("cms.user", SubscriptionMode.AsyncSimple));

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RunAsync_ConnectorReturnsError_StopsRunAndKeepsOrder()
    {
        var crm = Crm();
        var failFirst = true;
        crm.Behaviour = task => task.Object.CodeName == "u1" && failFirst ? TaskResult.Error("CRM is down") : TaskResult.Ok;
        await using var bus = await TestBus.StartAsync([crm]);

        var waiting = bus.NextRunnerWaitAsync("crm");
        await using (var scope = bus.Bus.BeginScope())
        {
            for (var i = 1; i <= 3; i++)
            {
                await scope.LogChangeAsync(SampleTypes.NewUser(i, $"u{i}"), TaskType.CreateObject, Token);
            }

            await scope.CompleteAsync(Token);
        }

        var delay = await waiting;
        Assert.Equal(["u1"], crm.Calls.Select(c => c.Object.CodeName));
        var queued = await bus.ListAsync("crm");
        Assert.Equal(3, queued.Count);
        Assert.Equal(SynchronizationStatus.Error, queued[0].Status);
        Assert.Equal("CRM is down", queued[0].LastError);
        Assert.Equal([SynchronizationStatus.Pending, SynchronizationStatus.Pending], queued.Skip(1).Select(q => q.Status));

        // A new change before the retry is due does not overtake the failed task.
        waiting = bus.NextRunnerWaitAsync("crm");
        await bus.Bus.LogChangeAsync(SampleTypes.NewUser(4, "u4"), TaskType.CreateObject, Token);
        await waiting;
        Assert.Single(crm.Calls);

        failFirst = false;
        var idle = bus.NextRunnerIdleAsync("crm");
        bus.Time.Advance(delay);
        await idle;
        Assert.Equal(["u1", "u1", "u2", "u3", "u4"], crm.Calls.Select(c => c.Object.CodeName));
        Assert.Equal(2, crm.Calls[1].Attempt);
        Assert.Empty(await bus.ListAsync("crm"));
    }

    [Theory]
    [InlineData(new[] { 1, 1, 1 }, true)]
    [InlineData(new[] { 1, 2, 1 }, false)]
    [InlineData(new[] { 0, 1, 1 }, false)]
    public async Task RunAsync_BatchSynchronizationCounts_RecordSaysWhetherEveryTaskHadOneQueue(int[] counts, bool singleQueueTasks)
    {
        var crm = Crm();
        ControlledStore? store = null;
        await using var bus = await TestBus.StartAsync([crm], b => b.UseStore(sp => store = new ControlledStore(sp.GetRequiredService<Sqlite.SqliteTaskStore>())));
        var position = new Dictionary<long, int>();
        store!.FetchedAs = t => t with { SynchronizationCount = counts[position.TryGetValue(t.Id, out var i) ? i : position[t.Id] = position.Count] };

        var idle = bus.NextRunnerIdleAsync("crm");
        await using (var scope = bus.Bus.BeginScope())
        {
            for (var i = 1; i <= counts.Length; i++)
            {
                await scope.LogChangeAsync(SampleTypes.NewUser(i, $"u{i}"), TaskType.CreateObject, Token);
            }

            await scope.CompleteAsync(Token);
        }

        await idle;
        var record = Assert.Single(store.Records);
        Assert.Equal((counts.Length, singleQueueTasks), (record.Outcomes.Count, record.SingleQueueTasks));
        Assert.Empty(await bus.ListAsync("crm"));
    }

    [Fact]
    public async Task RunAsync_ErrorThenNoTraffic_RetryTimerRedelivers()
    {
        var crm = Crm();
        var calls = 0;
        crm.Behaviour = _ => ++calls == 1 ? TaskResult.Error("timeout") : TaskResult.Ok;
        await using var bus = await TestBus.StartAsync([crm]);

        var waiting = bus.NextRunnerWaitAsync("crm");
        await bus.Bus.LogChangeAsync(SampleTypes.NewUser(1, "u1"), TaskType.CreateObject, Token);
        var delay = await waiting;

        Assert.InRange(delay, TimeSpan.FromMilliseconds(800), TimeSpan.FromSeconds(1));
        var idle = bus.NextRunnerIdleAsync("crm");
        bus.Time.Advance(delay);
        await idle;
        Assert.Equal(2, crm.Calls.Count);
        Assert.Empty(await bus.ListAsync("crm"));
    }

    [Fact]
    public async Task RunAsync_RepeatedErrors_BackOffDoubles()
    {
        var crm = Crm();
        crm.Behaviour = _ => TaskResult.Error("still down");
        await using var bus = await TestBus.StartAsync([crm]);

        var delays = new List<TimeSpan>();
        var waiting = bus.NextRunnerWaitAsync("crm");
        await bus.Bus.LogChangeAsync(SampleTypes.NewUser(1, "u1"), TaskType.CreateObject, Token);
        for (var attempt = 1; attempt <= 4; attempt++)
        {
            var delay = await waiting;
            delays.Add(delay);
            waiting = bus.NextRunnerWaitAsync("crm");
            bus.Time.Advance(delay);
            await crm.WaitForCallsAsync(attempt + 1);
        }

        for (var i = 0; i < delays.Count; i++)
        {
            var nominal = TimeSpan.FromSeconds(Math.Pow(2, i));
            Assert.InRange(delays[i], nominal * 0.8, nominal);
        }

        var attempts = await bus.Store.Management.GetAttemptsAsync((await bus.ListAsync("crm"))[0].TaskId, Token);
        Assert.True(attempts.Count >= 4);
        Assert.All(attempts, a => Assert.Equal("still down", a.Message));
    }

    [Theory]
    [InlineData(TaskResultKind.ErrorAndSkip)]
    [InlineData(TaskResultKind.SkipNow)]
    public async Task RunAsync_SkippingResult_GoesOnAndRetriesTaskInNextRun(TaskResultKind kind)
    {
        var crm = Crm();
        var skipOnce = true;
        crm.Behaviour = task =>
        {
            if (task.Object.CodeName == "u1" && skipOnce)
            {
                skipOnce = false;
                return kind == TaskResultKind.ErrorAndSkip ? TaskResult.ErrorAndSkip("bad e-mail") : TaskResult.SkipNow("later");
            }

            return TaskResult.Ok;
        };
        await using var bus = await TestBus.StartAsync([crm]);

        var waiting = bus.NextRunnerWaitAsync("crm");
        await using (var scope = bus.Bus.BeginScope())
        {
            await scope.LogChangeAsync(SampleTypes.NewUser(1, "u1"), TaskType.CreateObject, Token);
            await scope.LogChangeAsync(SampleTypes.NewUser(2, "u2"), TaskType.CreateObject, Token);
            await scope.CompleteAsync(Token);
        }

        await crm.WaitForCallsAsync(2);
        var delay = await waiting;
        var queued = Assert.Single(await bus.ListAsync("crm"));
        Assert.Equal(kind == TaskResultKind.ErrorAndSkip ? SynchronizationStatus.Skipped : SynchronizationStatus.Pending, queued.Status);
        Assert.Equal(kind == TaskResultKind.ErrorAndSkip ? 1 : 0, queued.Attempts);

        // No new traffic: the next run comes from the timer and delivers the skipped task.
        var idle = bus.NextRunnerIdleAsync("crm");
        bus.Time.Advance(delay);
        await idle;
        Assert.Equal(["u1", "u2", "u1"], crm.Calls.Select(c => c.Object.CodeName));
        Assert.Empty(await bus.ListAsync("crm"));
    }

    [Fact]
    public async Task RunAsync_ConnectorThrows_CountsAsError()
    {
        var crm = Crm();
        var calls = 0;
        crm.Behaviour = _ => ++calls == 1 ? throw new InvalidOperationException("socket closed") : TaskResult.Ok;
        await using var bus = await TestBus.StartAsync([crm]);

        var waiting = bus.NextRunnerWaitAsync("crm");
        await bus.Bus.LogChangeAsync(SampleTypes.NewUser(1, "u1"), TaskType.CreateObject, Token);
        await waiting;

        var queued = Assert.Single(await bus.ListAsync("crm"));
        Assert.Equal(SynchronizationStatus.Error, queued.Status);
        Assert.Contains("socket closed", queued.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_MaxAttemptsReached_ParksTaskAndGoesOn()
    {
        var crm = Crm();
        crm.Behaviour = task => task.Object.CodeName == "poison" ? TaskResult.Error("rejected") : TaskResult.Ok;
        await using var bus = await TestBus.StartAsync([crm], connectorOptions: o => o.MaxAttempts = 2);

        var waiting = bus.NextRunnerWaitAsync("crm");
        await using (var scope = bus.Bus.BeginScope())
        {
            await scope.LogChangeAsync(SampleTypes.NewUser(1, "poison"), TaskType.CreateObject, Token);
            await scope.LogChangeAsync(SampleTypes.NewUser(2, "fine"), TaskType.CreateObject, Token);
            await scope.CompleteAsync(Token);
        }

        var delay = await waiting;
        var idle = bus.NextRunnerIdleAsync("crm");
        bus.Time.Advance(delay);
        await idle;

        var parked = Assert.Single(await bus.ListAsync("crm"));
        Assert.Equal(SynchronizationStatus.Failed, parked.Status);
        Assert.Equal(2, parked.Attempts);
        Assert.Equal(["poison", "poison", "fine"], crm.Calls.Select(c => c.Object.CodeName));
    }

    [Fact]
    public async Task RunAsync_CorruptPayload_ParksTaskWithClearErrorAndDeliversTheRest()
    {
        var crm = Crm();
        await using var bus = await TestBus.StartAsync([crm], start: false);
        await bus.EnsureStartedAsync();
        await bus.Store.Queue.AppendAsync(
            [
                Outgoing(1, "{not json"),
                Outgoing(2, """{"v":1,"object":{"type":"no.such","fields":{}}}"""),
                Outgoing(4, """{"v":1,"object":{"type":"crm.contact","fields":{},"refs":{"UserID":{"type":"cms.user","id":"abc"}}}}""") with { DataType = DataType.SimpleSnapshot, ObjectType = "crm.contact" },
                Outgoing(3, """{"v":1,"object":{"type":"cms.user","fields":{"UserID":3,"UserName":"ok"}}}"""),
            ],
            null,
            Token);

        var idle = bus.NextRunnerIdleAsync("crm");
        await bus.StartHostAsync();
        await idle;

        Assert.Equal("ok", Assert.Single(crm.Calls).Object.CodeName);
        var parked = await bus.ListAsync("crm");
        Assert.Equal(3, parked.Count);
        Assert.All(parked, p => Assert.Equal(SynchronizationStatus.Failed, p.Status));
        Assert.Contains("not valid JSON", parked[0].LastError, StringComparison.Ordinal);
        Assert.Contains("'no.such'", parked[1].LastError, StringComparison.Ordinal);
        Assert.Contains("integer \"id\"", parked[2].LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_OneConnectorFails_OtherConnectorStillDelivers()
    {
        var crm = Crm();
        crm.Behaviour = _ => TaskResult.Error("down");
        var search = new RecordingConnector("search", s => s.AllObjects(SubscriptionMode.AsyncSimple));
        await using var bus = await TestBus.StartAsync([crm, search]);

        var searchIdle = bus.NextRunnerIdleAsync("search");
        var crmWaiting = bus.NextRunnerWaitAsync("crm");
        await bus.Bus.LogChangeAsync(SampleTypes.NewUser(1, "u1"), TaskType.CreateObject, Token);
        await searchIdle;
        await crmWaiting;

        var remaining = Assert.Single(await bus.ListAsync());
        Assert.Equal("crm", remaining.Connector);
    }

    [Fact]
    public async Task RequestProcessingAsync_UnknownConnector_Throws()
    {
        await using var bus = await TestBus.StartAsync([Crm()], start: false);
        var exception = await Assert.ThrowsAsync<ArgumentException>(() => bus.Bus.RequestProcessingAsync("nope", cancellationToken: Token));
        Assert.Contains("'nope'", exception.Message, StringComparison.Ordinal);
    }

    internal static NewIntegrationTask Outgoing(long objectId, string payload, string connector = "crm") => new()
    {
        Guid = Guid.NewGuid(),
        Direction = TaskDirection.Outgoing,
        TaskType = TaskType.CreateObject,
        DataType = DataType.Simple,
        ObjectType = "cms.user",
        ObjectId = objectId,
        Payload = payload,
        CreatedAt = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero),
        Connectors = [connector],
    };
}
