using Microsoft.EntityFrameworkCore;

namespace IntegrationBus.PostgreSql.Tests.EntityFrameworkCore;

/// <summary>The EF Core interceptor, unchanged, on Npgsql's provider: tasks exist if and only if SaveChanges commits, with or without a retrying execution strategy.</summary>
public sealed class PostgreSqlEntityFrameworkTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(true, true)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(false, false)]
    public async Task SaveChanges_NoApplicationTransaction_TaskCommitsWithTheEntity(bool async, bool retryOnFailure)
    {
        await using var bus = await PgEfBus.StartAsync(retryOnFailure);
        int id;
        await using (bus.Scope(out var db))
        {
            var user = new PgUser { UserName = "ann" };
            db.Users.Add(user);
            Assert.Equal(1, async ? await db.SaveChangesAsync(Ct) : db.SaveChanges());
            id = user.PgUserId;
            Assert.Equal(EntityState.Unchanged, db.Entry(user).State);
        }

        var task = Assert.Single(await bus.QueueAsync());
        Assert.Equal((id, "ann"), (task.ObjectId, UserName(task.Payload)));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task SaveChanges_TransientCommitFailureWithRetryOnFailure_RetriedAndTasksWrittenOnce(bool async)
    {
        await using var bus = await PgEfBus.StartAsync(retryOnFailure: true);
        bus.Failures.FailNext(2);
        await using (bus.Scope(out var db))
        {
            db.Users.Add(new PgUser { UserName = "ann" });
            db.Users.Add(new PgUser { UserName = "bob" });
            Assert.Equal(2, async ? await db.SaveChangesAsync(Ct) : db.SaveChanges());
        }

        Assert.Equal(2, bus.Failures.Injected);
        Assert.Equal(["ann", "bob"], (await bus.QueueAsync()).Select(t => UserName(t.Payload)).Order());
        await using (bus.Scope(out var db))
        {
            Assert.Equal(2, await db.Users.CountAsync(Ct));
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task SaveChangesAsync_Fails_LogsNothing(bool retryOnFailure)
    {
        await using var bus = await PgEfBus.StartAsync(retryOnFailure);
        await using (bus.Scope(out var db))
        {
            db.Users.Add(new PgUser { UserName = "ann" });
            await db.SaveChangesAsync(Ct);
        }

        await using (bus.Scope(out var db))
        {
            db.Users.Add(new PgUser { UserName = "bob" });
            db.Users.Add(new PgUser { UserName = "ann" });
            await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync(Ct));
        }

        Assert.Equal(["ann"], (await bus.QueueAsync()).Select(t => UserName(t.Payload)));
    }

    [Theory]
    [InlineData(true, true)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(false, false)]
    public async Task ApplicationTransactionInExecutionStrategy_TasksExistOnlyIfItCommits(bool commit, bool retryOnFailure)
    {
        await using var bus = await PgEfBus.StartAsync(retryOnFailure);
        await using (bus.Scope(out var db))
        {
            await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
            {
                await using var transaction = await db.Database.BeginTransactionAsync(Ct);
                db.Users.Add(new PgUser { UserName = "ann" });
                await db.SaveChangesAsync(Ct);
                db.Users.Add(new PgUser { UserName = "bob" });
                db.SaveChanges();
                Assert.Empty(await bus.QueueAsync());
                if (commit)
                {
                    await transaction.CommitAsync(Ct);
                }
                else
                {
                    await transaction.RollbackAsync(Ct);
                }
            });
        }

        Assert.Equal(commit ? ["ann", "bob"] : [], (await bus.QueueAsync()).Select(t => UserName(t.Payload)));
    }

    [Theory]
    [InlineData(true, true)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(false, false)]
    public async Task SaveChanges_InTransactionScope_TasksExistOnlyIfTheScopeCompletes(bool complete, bool async)
    {
        // Npgsql enlists the context's connection in the ambient transaction; the tasks are written on it.
        await using var bus = await PgEfBus.StartAsync(retryOnFailure: false);
        await using (bus.Scope(out var db))
        {
            using (var scope = new System.Transactions.TransactionScope(System.Transactions.TransactionScopeAsyncFlowOption.Enabled))
            {
                db.Users.Add(new PgUser { UserName = "ann" });
                Assert.Equal(1, async ? await db.SaveChangesAsync(Ct) : db.SaveChanges());
                db.Users.Add(new PgUser { UserName = "bob" });
                Assert.Equal(1, async ? await db.SaveChangesAsync(Ct) : db.SaveChanges());
                if (complete)
                {
                    scope.Complete();
                }
            }

            // After the scope, the context saves as usual, with what the scope's end left behind forgotten.
            db.ChangeTracker.Clear();
            db.Users.Add(new PgUser { UserName = "cy" });
            Assert.Equal(1, async ? await db.SaveChangesAsync(Ct) : db.SaveChanges());
        }

        Assert.Equal(complete ? ["ann", "bob", "cy"] : ["cy"], (await bus.QueueAsync()).Select(t => UserName(t.Payload)));
        await using (bus.Scope(out var db))
        {
            Assert.Equal(complete ? 3 : 1, await db.Users.CountAsync(Ct));
        }
    }

    [Fact]
    public async Task SaveChanges_PooledContextRentedAgainBeforeItsTransactionScopeCompletes_EachTransactionKeepsItsTasks()
    {
        // A pooled context goes back to the pool when it is disposed inside the scope, and another request can rent it
        // and save before that scope has committed: the scope's completion must not touch the next save's changes.
        await using var bus = await PgEfBus.StartAsync(retryOnFailure: false);
        var pool = bus.PooledFactory(out var options);
        await using var optionsScope = options;
        using var first = new System.Transactions.CommittableTransaction();
        PgAppDb rented;
        using (var scope = new System.Transactions.TransactionScope(first))
        {
            using var db = pool.CreateDbContext();
            rented = db;
            db.Users.Add(new PgUser { UserName = "ann" });
            db.SaveChanges();
            scope.Complete();
        }

        // The next request rents the same context and saves in a transaction of its own; the first transaction commits
        // while it saves.
        bus.Hooks.Saving = () =>
        {
            bus.Hooks.Saving = null;
            first.Commit();
        };
        using (var db = pool.CreateDbContext())
        {
            Assert.Same(rented, db);
            using var transaction = db.Database.BeginTransaction();
            db.Users.Add(new PgUser { UserName = "bob" });
            db.SaveChanges();
            transaction.Commit();
        }

        Assert.Null(bus.Hooks.Saving);
        Assert.Equal(["ann", "bob"], (await bus.QueueAsync()).Select(t => UserName(t.Payload)));
        await using (bus.Scope(out var db))
        {
            Assert.Equal(2, await db.Users.CountAsync(Ct));
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task SaveChanges_InTransactionScopeWithEnlistFalse_RefusedBeforeTheEntitiesAreSaved(bool async)
    {
        // Without enlisting, EF Core would write the entities outside the scope, where the tasks cannot join them.
        await using var bus = await PgEfBus.StartAsync(retryOnFailure: false, enlist: false);
        await using (bus.Scope(out var db))
        {
            using (var scope = new System.Transactions.TransactionScope(System.Transactions.TransactionScopeAsyncFlowOption.Enabled))
            {
                db.Users.Add(new PgUser { UserName = "ann" });
                var refused = async
                    ? await Assert.ThrowsAsync<IntegrationBusException>(() => db.SaveChangesAsync(Ct))
                    : Assert.Throws<IntegrationBusException>(() => db.SaveChanges());
                Assert.Contains("Enlist=false", refused.Message, StringComparison.Ordinal);
                scope.Complete();
            }
        }

        Assert.Empty(await bus.QueueAsync());
        await using (bus.Scope(out var db))
        {
            Assert.Equal(0, await db.Users.CountAsync(Ct));
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task SaveChanges_InTransactionScope_SynchronousConnectorCalledOnlyOnceTheScopeCommits(bool complete)
    {
        var audit = new AuditConnector();
        await using var bus = await PgEfBus.StartAsync(retryOnFailure: false, also: audit);
        await using (bus.Scope(out var db))
        {
            using (var scope = new System.Transactions.TransactionScope(System.Transactions.TransactionScopeAsyncFlowOption.Enabled))
            {
                db.Users.Add(new PgUser { UserName = "ann" });
                await db.SaveChangesAsync(Ct);
                Assert.False(audit.Called.Task.IsCompleted);
                if (complete)
                {
                    scope.Complete();
                }
            }

            if (!complete)
            {
                // A save after the rolled-back scope: had the scope's change stayed captured, it would be called first.
                db.ChangeTracker.Clear();
                db.Users.Add(new PgUser { UserName = "bob" });
                await db.SaveChangesAsync(Ct);
            }
        }

        Assert.Equal(complete ? "ann" : "bob", await audit.Called.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct));
    }

    private sealed class AuditConnector() : Connector("audit")
    {
        public TaskCompletionSource<string?> Called { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        protected override void Subscribe(SubscriptionBuilder subscriptions) => subscriptions.AllObjects(SubscriptionMode.Sync);

        protected override Task<TaskResult> ProcessOutgoingAsync(OutgoingTask task, CancellationToken cancellationToken) => Task.FromResult(TaskResult.Ok);

        protected override Task<TaskResult> ProcessSynchronousAsync(SynchronousChange change, CancellationToken cancellationToken)
        {
            Called.TrySetResult(change.Object.CodeName);
            return Task.FromResult(TaskResult.Ok);
        }
    }

    private static string? UserName(string payload)
    {
        using var json = System.Text.Json.JsonDocument.Parse(payload);
        return json.RootElement.GetProperty("object").GetProperty("fields").GetProperty("UserName").GetString();
    }
}
