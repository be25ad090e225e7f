using IntegrationBus.Diagnostics;
using IntegrationBus.Tests.Support;
using Microsoft.Data.Sqlite;

namespace IntegrationBus.Tests.Outgoing;

/// <summary>Synchronous connectors after the commit, thread-safe scopes, and the public change-capture seam.</summary>
public sealed class CommitAndCaptureTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static RecordingConnector Sync() => new("audit", s => s.Objects("cms.user", SubscriptionMode.Sync));

    private static RecordingConnector Crm() => new("crm", s => s.Objects("cms.user", SubscriptionMode.AsyncSimple));

    [Fact]
    public async Task CommitAsync_CallerTransaction_SyncConnectorCalledOnlyAfterTheCommit()
    {
        var audit = Sync();
        var seenRowsAtCall = -1L;
        await using var bus = await TestBus.StartAsync([audit, Crm()], start: false);
        await bus.EnsureStartedAsync();
        await using var connection = new SqliteConnection(bus.ConnectionString);
        await connection.OpenAsync(Token);
        audit.SynchronousBehaviour = _ =>
        {
            // A second connection sees the task only once the caller's transaction committed.
            using var reader = new SqliteConnection(bus.ConnectionString);
            reader.Open();
            using var count = reader.CreateCommand();
            count.CommandText = "SELECT COUNT(*) FROM integration_task";
            seenRowsAtCall = (long)count.ExecuteScalar()!;
            return TaskResult.Ok;
        };

        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(Token);
        await using (var scope = bus.Bus.BeginScope(transaction))
        {
            await scope.LogChangeAsync(SampleTypes.NewUser(1, "ann"), TaskType.CreateObject, Token);
            await scope.CompleteAsync(Token);
            Assert.Empty(audit.SynchronousCalls);

            await scope.CommitAsync(Token);
        }

        Assert.Equal("ann", Assert.Single(audit.SynchronousCalls).Object.CodeName);
        Assert.Equal(1, seenRowsAtCall);
    }

    [Fact]
    public async Task DisposeAsync_CallerTransactionRolledBack_SyncConnectorNeverCalled()
    {
        var audit = Sync();
        await using var bus = await TestBus.StartAsync([audit, Crm()], start: false);
        await bus.EnsureStartedAsync();
        await using var connection = new SqliteConnection(bus.ConnectionString);
        await connection.OpenAsync(Token);
        var discarded = bus.Signals.NextAsync(EventIds.SynchronousCallsDiscarded, _ => true);

        await using (var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(Token))
        await using (var scope = bus.Bus.BeginScope(transaction))
        {
            await scope.LogChangeAsync(SampleTypes.NewUser(1, "ann"), TaskType.CreateObject, Token);
            await scope.CompleteAsync(Token);
            await transaction.RollbackAsync(Token);
        }

        await discarded;
        Assert.Empty(audit.SynchronousCalls);
        Assert.Empty(await bus.ListAsync());
    }

    [Fact]
    public async Task LogChangeAsync_ConcurrentTasksInOneScope_EveryChangeWritten()
    {
        await using var bus = await TestBus.StartAsync([Crm()], start: false);
        await using (var scope = bus.Bus.BeginScope())
        {
            await Task.WhenAll(Enumerable.Range(1, 200).Select(i => Task.Run(
                async () => await bus.Bus.LogChangeAsync(SampleTypes.NewUser(i, $"u{i}"), TaskType.CreateObject, Token), Token)));
            Assert.Equal(200, scope.PendingCount);
            await scope.CompleteAsync(Token);
        }

        var rows = await bus.ListAsync("crm");
        Assert.Equal(Enumerable.Range(1, 200).Select(i => (long)i), rows.Select(r => r.Task.ObjectId!.Value).Order());
    }

    [Fact]
    public async Task Committed_SyncCallStillRunning_StoppingTheBusWaitsForIt()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var called = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var audit = new SlowSyncConnector(called, release);
        await using var bus = await TestBus.StartAsync([audit, Crm()]);
        await using var connection = new SqliteConnection(bus.ConnectionString);
        await connection.OpenAsync(Token);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(Token);

        var capture = bus.Bus.BeginCapture();
        capture.Add(SampleTypes.NewUser(1, "ann"), TaskType.CreateObject);
        capture.Write(transaction, null);
        await transaction.CommitAsync(Token);
        capture.Committed();
        await called.Task.WaitAsync(TimeSpan.FromSeconds(30), Token);

        var waiting = bus.Signals.NextAsync(EventIds.SynchronousCallsWaiting, s => Equals(s.GetValueOrDefault("Count"), 1));
        var stopping = bus.StopHostAsync();
        await waiting;
        Assert.False(stopping.IsCompleted, "The bus stopped while a synchronous call was still running.");
        release.SetResult();
        await stopping.WaitAsync(TimeSpan.FromSeconds(30), Token);
        Assert.True(audit.Finished);
    }

    [Fact]
    public async Task ChangeCapture_WrittenInTransaction_TasksExistOnlyAfterCommitAndRunnersWoken()
    {
        var crm = Crm();
        await using var bus = await TestBus.StartAsync([crm]);
        await using var connection = new SqliteConnection(bus.ConnectionString);
        await connection.OpenAsync(Token);
        var capture = bus.Bus.BeginCapture();
        Assert.True(capture.IsEnabled);

        await using (var rolledBack = (SqliteTransaction)await connection.BeginTransactionAsync(Token))
        {
            capture.Add(SampleTypes.NewUser(1, "gone"), TaskType.CreateObject);
            await capture.WriteAsync(rolledBack, null, Token);
            await rolledBack.RollbackAsync(Token);
            capture.RolledBack();
        }

        await using (var committed = (SqliteTransaction)await connection.BeginTransactionAsync(Token))
        {
            capture.Add(SampleTypes.NewUser(2, "kept"), TaskType.CreateObject);
            Assert.Equal(1, capture.PendingCount);
            await capture.WriteAsync(committed, null, Token);
            await committed.CommitAsync(Token);
            await capture.CommittedAsync(Token);
        }

        await crm.WaitForCallsAsync(1);
        Assert.Equal("kept", Assert.Single(crm.Calls).Object.CodeName);
    }

    [Fact]
    public async Task ChangeCapture_RolledBackToSavepoint_ChangesSinceTheMarkReachNoConnector()
    {
        var audit = Sync();
        var crm = Crm();
        await using var bus = await TestBus.StartAsync([audit, crm]);
        await using var connection = new SqliteConnection(bus.ConnectionString);
        await connection.OpenAsync(Token);
        var capture = bus.Bus.BeginCapture();

        await using (var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(Token))
        {
            capture.Add(SampleTypes.NewUser(1, "ann"), TaskType.CreateObject);
            await capture.WriteAsync(transaction, null, Token);
            await transaction.SaveAsync("before-bob", Token);
            var mark = capture.CreateSavepoint();
            capture.Add(SampleTypes.NewUser(2, "bob"), TaskType.CreateObject);
            await capture.WriteAsync(transaction, null, Token);
            await transaction.RollbackAsync("before-bob", Token);
            capture.RolledBackToSavepoint(mark);
            await transaction.CommitAsync(Token);
            await capture.CommittedAsync(Token);
        }

        Assert.Equal("ann", Assert.Single(audit.SynchronousCalls).Object.CodeName);
        await crm.WaitForCallsAsync(1);
        Assert.Equal("ann", Assert.Single(crm.Calls).Object.CodeName);
    }

    private sealed class SlowSyncConnector(TaskCompletionSource called, TaskCompletionSource release) : Connector("audit")
    {
        public bool Finished { get; private set; }

        protected override void Subscribe(SubscriptionBuilder subscriptions) => subscriptions.Objects("cms.user", SubscriptionMode.Sync);

        protected override async Task<TaskResult> ProcessSynchronousAsync(SynchronousChange change, CancellationToken cancellationToken)
        {
            called.TrySetResult();
            await release.Task;
            Finished = true;
            return TaskResult.Ok;
        }
    }
}
