using IntegrationBus.Diagnostics;
using IntegrationBus.Sqlite;
using IntegrationBus.Storage;
using IntegrationBus.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace IntegrationBus.Tests.Processing;

/// <summary>Leases that cannot be outlived: renewed on a heartbeat, fenced, and a run that stops the moment its lease is gone.</summary>
public sealed class LeaseTests
{
    private static readonly TimeSpan LeaseDuration = TimeSpan.FromSeconds(30);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static RecordingConnector Crm() => new("crm", s => s.Objects("cms.user", SubscriptionMode.AsyncSimple));

    [Fact]
    public async Task RunAsync_CallLastsThreeLeaseDurations_HeartbeatKeepsLeaseAndOtherNodeNeverRuns()
    {
        using var file = new SharedDatabaseFile();
        var path = file.Path;
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource<TaskResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        var slow = Crm();
        slow.AsyncBehaviour = (_, token) =>
        {
            started.TrySetResult();
            return release.Task.WaitAsync(token);
        };
        var other = Crm();
        await using var nodeA = await TestBus.StartAsync([slow], path: path, time: time);
        await nodeA.Bus.LogChangeAsync(SampleTypes.NewUser(1, "u1"), TaskType.CreateObject, Token);
        await started.Task.WaitAsync(TimeSpan.FromSeconds(30), Token);
        await using var nodeB = await TestBus.StartAsync([other], path: path, time: time);

        for (var step = 0; step < 9; step++)
        {
            // A third of the lease per step: A's heartbeat renews each time; B keeps finding the lease taken.
            var renewed = nodeA.NextEventAsync(EventIds.LeaseRenewed, "crm");
            var refused = nodeB.NextRunnerIdleAsync("crm");
            time.Advance(LeaseDuration / 3);
            await renewed;
            await refused;
        }

        Assert.Empty(other.Calls);
        var idle = nodeA.NextRunnerIdleAsync("crm");
        release.SetResult(TaskResult.Ok);
        await idle;

        Assert.Single(slow.Calls);
        Assert.Empty(other.Calls);
        Assert.Empty(await nodeA.ListAsync("crm"));
    }

    /// <summary>
    /// A run that begins on a lease it still holds from an earlier run, half spent, renews it at once: a heartbeat a
    /// third of the lease later would leave its renewal a sixth of the lease before the local deadline cancels the run
    /// (and abandons the call in progress), which a loaded server can take.
    /// </summary>
    [Fact]
    public async Task RunAsync_BeginsOnAHalfSpentLease_RenewsAtOnce()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource<TaskResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        var crm = Crm();
        crm.AsyncBehaviour = (task, token) =>
        {
            if (task.Object.CodeName == "u1")
            {
                return Task.FromResult(TaskResult.Ok);
            }

            started.TrySetResult();
            return release.Task.WaitAsync(token);
        };
        await using var bus = await TestBus.StartAsync([crm], b => b.Configure(o => o.SweepInterval = TimeSpan.FromHours(1)));
        var idle = bus.NextRunnerIdleAsync("crm");
        await bus.Bus.LogChangeAsync(SampleTypes.NewUser(1, "u1"), TaskType.CreateObject, Token);
        await idle;

        // Just over half the lease is left: the next run keeps the lease without renewing it first.
        bus.Time.Advance((LeaseDuration / 2) - TimeSpan.FromSeconds(1));
        var renewed = bus.NextEventAsync(EventIds.LeaseRenewed, "crm");
        await bus.Bus.LogChangeAsync(SampleTypes.NewUser(2, "u2"), TaskType.CreateObject, Token);
        await started.Task.WaitAsync(TimeSpan.FromSeconds(30), Token);
        await renewed;

        idle = bus.NextRunnerIdleAsync("crm");
        release.SetResult(TaskResult.Ok);
        await idle;
        Assert.Equal(["u1", "u2"], crm.Calls.Select(c => c.Object.CodeName));
        Assert.DoesNotContain(bus.Signals.Seen, e => e.EventId == EventIds.LeaseLost);
        Assert.Empty(await bus.ListAsync("crm"));
    }

    [Fact]
    public async Task RunAsync_RenewalLost_StopsAtOnceWithNoFurtherCallAndTasksStayPending()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var calls = 0;
        var crm = Crm();
        crm.AsyncBehaviour = async (_, token) =>
        {
            Interlocked.Increment(ref calls);
            started.TrySetResult();
            await Task.Delay(Timeout.Infinite, token);
            return TaskResult.Ok;
        };
        ControlledStore? store = null;
        await using var bus = await TestBus.StartAsync([crm], b => b.UseStore(sp => store = new ControlledStore(sp.GetRequiredService<SqliteTaskStore>())));
        await using (var scope = bus.Bus.BeginScope())
        {
            await scope.LogChangeAsync(SampleTypes.NewUser(1, "u1"), TaskType.CreateObject, Token);
            await scope.LogChangeAsync(SampleTypes.NewUser(2, "u2"), TaskType.CreateObject, Token);
            await scope.CompleteAsync(Token);
        }

        await started.Task.WaitAsync(TimeSpan.FromSeconds(30), Token);
        store!.LoseRenewals = true;
        var lost = bus.NextEventAsync(EventIds.LeaseLost, "crm");
        var idle = bus.NextRunnerIdleAsync("crm");
        bus.Time.Advance(LeaseDuration / 3);
        await lost;
        await idle;

        Assert.Equal(1, Volatile.Read(ref calls));
        var rows = await bus.ListAsync("crm");
        Assert.Equal(2, rows.Count);
        Assert.All(rows, r => Assert.Equal((SynchronizationStatus.Pending, 0), (r.Status, r.Attempts)));
    }

    [Fact]
    public async Task Stop_ReleaseFails_WarnsThatTheLeaseWillExpireAndStopsCleanly()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var crm = Crm();
        crm.AsyncBehaviour = async (_, token) =>
        {
            started.TrySetResult();
            await Task.Delay(Timeout.Infinite, token);
            return TaskResult.Ok;
        };
        ControlledStore? store = null;
        var bus = await TestBus.StartAsync([crm], b => b.UseStore(sp => store = new ControlledStore(sp.GetRequiredService<SqliteTaskStore>())));
        await bus.Bus.LogChangeAsync(SampleTypes.NewUser(1, "u1"), TaskType.CreateObject, Token);
        await started.Task.WaitAsync(TimeSpan.FromSeconds(30), Token);
        store!.FailReleases = true;
        var failed = bus.NextEventAsync(EventIds.LeaseReleaseFailed, "crm");
        var stopped = bus.NextEventAsync(EventIds.RunnerStopped, "crm");

        await bus.DisposeAsync();

        await failed;
        await stopped;
        Assert.DoesNotContain(bus.Signals.Seen, e => e.EventId == EventIds.RunnerIterationFailed);
    }

    [Fact]
    public async Task RunAsync_AnotherOwnerTookLeaseDuringCall_ResultsRefusedAndTaskStaysPending()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource<TaskResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        var crm = Crm();
        crm.AsyncBehaviour = (_, token) =>
        {
            started.TrySetResult();
            return release.Task;
        };
        await using var bus = await TestBus.StartAsync([crm]);
        await bus.Bus.LogChangeAsync(SampleTypes.NewUser(1, "u1"), TaskType.CreateObject, Token);
        await started.Task.WaitAsync(TimeSpan.FromSeconds(30), Token);

        // A node whose clock judges A's lease expired takes it: a new owner, a higher token.
        var stolen = await bus.Store.Leases.TryAcquireAsync(
            new LeaseRequest { Queue = new QueueKey("crm", TaskDirection.Outgoing), Owner = "node-b", Duration = LeaseDuration, Now = bus.Time.GetUtcNow().AddHours(1) }, Token);
        Assert.NotNull(stolen);
        var refused = bus.NextEventAsync(EventIds.ResultsRefused, "crm");
        release.SetResult(TaskResult.Error("would have been recorded"));
        await refused;

        var row = Assert.Single(await bus.ListAsync("crm"));
        Assert.Equal((SynchronizationStatus.Pending, 0, null), (row.Status, row.Attempts, row.LastError));
        Assert.Empty(await bus.Store.Management.GetAttemptsAsync(row.TaskId, Token));
    }

    [Fact]
    public async Task RunAsync_CallIgnoresItsTokenPastTaskTimeout_CountsAsErrorAndKeepsOrder()
    {
        var crm = Crm();
        var hang = new TaskCompletionSource<TaskResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        crm.AsyncBehaviour = (task, _) =>
        {
            started.TrySetResult();
            return task.Object.CodeName == "u1" ? hang.Task : Task.FromResult(TaskResult.Ok);
        };
        await using var bus = await TestBus.StartAsync([crm], connectorOptions: o => o.TaskTimeout = TimeSpan.FromSeconds(5));
        var waiting = bus.NextRunnerWaitAsync("crm");
        await using (var scope = bus.Bus.BeginScope())
        {
            await scope.LogChangeAsync(SampleTypes.NewUser(1, "u1"), TaskType.CreateObject, Token);
            await scope.LogChangeAsync(SampleTypes.NewUser(2, "u2"), TaskType.CreateObject, Token);
            await scope.CompleteAsync(Token);
        }

        await started.Task.WaitAsync(TimeSpan.FromSeconds(30), Token);
        bus.Time.Advance(TimeSpan.FromSeconds(5));
        await waiting;

        var rows = await bus.ListAsync("crm");
        Assert.Equal([SynchronizationStatus.Error, SynchronizationStatus.Pending], rows.Select(r => r.Status));
        Assert.Contains("task timeout of 00:00:05", rows[0].LastError, StringComparison.Ordinal);
        Assert.Empty(crm.Calls);
        hang.SetResult(TaskResult.Ok);
    }

    [Fact]
    public async Task RunAsync_SlowCalls_WhatIsDoneIsRecordedWithinTheBatch()
    {
        var crm = Crm();
        TestBus? bus = null;
        var queuedAtThirdCall = -1;
        crm.AsyncBehaviour = async (task, _) =>
        {
            if (task.Object.CodeName == "u3")
            {
                queuedAtThirdCall = (await bus!.ListAsync("crm")).Count;
            }

            bus!.Time.Advance(TimeSpan.FromMilliseconds(600));
            return TaskResult.Ok;
        };
        bus = await TestBus.StartAsync([crm]);
        await using var _ = bus;
        var idle = bus.NextRunnerIdleAsync("crm");
        await using (var scope = bus.Bus.BeginScope())
        {
            for (var i = 1; i <= 3; i++)
            {
                await scope.LogChangeAsync(SampleTypes.NewUser(i, $"u{i}"), TaskType.CreateObject, Token);
            }

            await scope.CompleteAsync(Token);
        }

        await idle;

        // Two calls took 1.2 s: their results were recorded before the third call, not at the end of the batch.
        Assert.Equal(1, queuedAtThirdCall);
        Assert.Empty(await bus.ListAsync("crm"));
    }

    [Fact]
    public async Task StopAsync_WhileResultsAreBeingRecorded_TheyAreStillRecorded()
    {
        var crm = Crm();
        ControlledStore? store = null;
        await using var bus = await TestBus.StartAsync([crm], b => b.UseStore(sp => store = new ControlledStore(sp.GetRequiredService<SqliteTaskStore>())));
        store!.RecordGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await bus.Bus.LogChangeAsync(SampleTypes.NewUser(1, "u1"), TaskType.CreateObject, Token);
        await store.RecordWaiting.Task.WaitAsync(TimeSpan.FromSeconds(30), Token);

        var stopping = bus.StopHostAsync();
        store.RecordGate.SetResult();
        await stopping.WaitAsync(TimeSpan.FromSeconds(30), Token);

        Assert.Single(crm.Calls);
        Assert.Empty(await bus.ListAsync("crm"));
    }

    [Fact]
    public async Task RunAsync_StoreAsksForTheLeaseBack_FinishesTheBatchThenReleasesIt()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource<TaskResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        var crm = Crm();
        crm.AsyncBehaviour = (task, _) =>
        {
            if (task.Object.CodeName != "u1")
            {
                return Task.FromResult(TaskResult.Ok);
            }

            started.TrySetResult();
            return release.Task;
        };
        ControlledStore? store = null;
        await using var bus = await TestBus.StartAsync(
            [crm], b => b.UseStore(sp => store = new ControlledStore(sp.GetRequiredService<SqliteTaskStore>())).Configure(o => o.BatchSize = 2));
        await using (var scope = bus.Bus.BeginScope())
        {
            for (var i = 1; i <= 4; i++)
            {
                await scope.LogChangeAsync(SampleTypes.NewUser(i, $"u{i}"), TaskType.CreateObject, Token);
            }

            await scope.CompleteAsync(Token);
        }

        await started.Task.WaitAsync(TimeSpan.FromSeconds(30), Token);
        store!.YieldOnRenew = true;
        var renewed = bus.NextEventAsync(EventIds.LeaseRenewed, "crm");
        bus.Time.Advance(LeaseDuration / 3);
        await renewed;
        var yielded = bus.NextEventAsync(EventIds.LeaseYielded, "crm");
        var idle = bus.NextRunnerIdleAsync("crm");
        release.SetResult(TaskResult.Ok);
        await yielded;
        await idle;

        // The batch (u1, u2) was finished and recorded; the next batch was left for whoever takes the queue now.
        Assert.Equal(["u1", "u2"], crm.Calls.Select(c => c.Object.CodeName));
        Assert.Equal(2, (await bus.ListAsync("crm")).Count);
        var other = await bus.Store.Leases.TryAcquireAsync(
            new LeaseRequest { Queue = new QueueKey("crm", TaskDirection.Outgoing), Owner = "node-b", Duration = LeaseDuration, Now = bus.Time.GetUtcNow() }, Token);
        Assert.NotNull(other);
    }
}
