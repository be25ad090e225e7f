using System.Text.Json;
using IntegrationBus.EntityFrameworkCore.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace IntegrationBus.EntityFrameworkCore.Tests;

public sealed class IntegrationBusSaveChangesInterceptorTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static Recorder Crm(SubscriptionMode mode = SubscriptionMode.AsyncSimple) => new("crm", s => s.AllObjects(mode).AllPages(mode));

    [Fact]
    public async Task SaveChangesAsync_AddedEntity_TaskCarriesGeneratedKey()
    {
        await using var bus = await EfBus.StartAsync([Crm()], processing: false);
        int id;
        await using (bus.Scope(out var db))
        {
            var user = new User { UserName = "ann", Email = "ann@example.com" };
            db.Users.Add(user);
            await db.SaveChangesAsync(Token);
            id = user.UserId;
        }

        var task = Assert.Single(await bus.QueueAsync("crm"));
        Assert.Equal(TaskType.CreateObject, task.TaskType);
        Assert.Equal(id, task.ObjectId);
        using var payload = JsonDocument.Parse((await bus.PayloadAsync(task.TaskId))!);
        Assert.Equal(id, payload.RootElement.GetProperty("object").GetProperty("fields").GetProperty("UserId").GetInt32());
        Assert.Equal("ann", payload.RootElement.GetProperty("object").GetProperty("fields").GetProperty("UserName").GetString());
    }

    [Fact]
    public async Task SaveChanges_Synchronous_AddedModifiedDeleted_LogOneTaskEach()
    {
        await using var bus = await EfBus.StartAsync([Crm()], processing: false);
        await using (bus.Scope(out var db))
        {
            var user = new User { UserName = "ann" };
            db.Users.Add(user);
            db.SaveChanges();
            user.Email = "new@example.com";
            db.SaveChanges();
            db.Users.Remove(user);
            db.SaveChanges();
        }

        Assert.Equal([TaskType.CreateObject, TaskType.UpdateObject, TaskType.DeleteObject], (await bus.QueueAsync("crm")).Select(t => t.TaskType));
    }

    [Fact]
    public async Task SaveChangesAsync_UpdateThatChangedNoField_LogsNothing()
    {
        await using var bus = await EfBus.StartAsync([Crm()], processing: false);
        await using (bus.Scope(out var db))
        {
            var user = new User { UserName = "ann" };
            db.Users.Add(user);
            await db.SaveChangesAsync(Token);
            db.Users.Update(user);
            await db.SaveChangesAsync(Token);
        }

        Assert.Single(await bus.QueueAsync("crm"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task SaveChanges_RetryingStrategy_FirstAttemptFails_TasksWrittenOnceWithTheEntities(bool async)
    {
        var failOnce = new FailFirstInsert();
        await using var bus = await EfBus.StartAsync(
            [Crm()], processing: false,
            sqlite: sqlite => sqlite.ExecutionStrategy(dependencies => new RetryOnTransient(dependencies)),
            context: options => options.AddInterceptors(failOnce));
        await using (bus.Scope(out var db))
        {
            db.Users.AddRange(new User { UserName = "ann" }, new User { UserName = "bob" });
            var saved = async ? await db.SaveChangesAsync(Token) : db.SaveChanges();
            Assert.Equal(2, saved);
        }

        Assert.True(failOnce.Failed);
        await using (bus.Scope(out var db))
        {
            Assert.Equal(["ann", "bob"], await db.Users.OrderBy(u => u.UserName).Select(u => u.UserName).ToListAsync(Token));
        }

        // The retried attempt captured again (the failed one's capture was cleared) and wrote each task once.
        Assert.Equal([TaskType.CreateObject, TaskType.CreateObject], (await bus.QueueAsync("crm")).Select(t => t.TaskType));
    }

    private sealed class TransientFailure() : Exception("A transient failure of the first INSERT.");

    private sealed class RetryOnTransient(ExecutionStrategyDependencies dependencies) : ExecutionStrategy(dependencies, 3, TimeSpan.Zero)
    {
        protected override bool ShouldRetryOn(Exception exception) => exception is TransientFailure;

        protected override TimeSpan? GetNextDelay(Exception lastException) => base.GetNextDelay(lastException) is null ? null : TimeSpan.Zero;
    }

    /// <summary>Fails the application's first INSERT, once.</summary>
    private sealed class FailFirstInsert : Microsoft.EntityFrameworkCore.Diagnostics.DbCommandInterceptor
    {
        private int _failed;

        public bool Failed => _failed == 1;

        public override Microsoft.EntityFrameworkCore.Diagnostics.InterceptionResult<System.Data.Common.DbDataReader> ReaderExecuting(
            System.Data.Common.DbCommand command, Microsoft.EntityFrameworkCore.Diagnostics.CommandEventData eventData, Microsoft.EntityFrameworkCore.Diagnostics.InterceptionResult<System.Data.Common.DbDataReader> result)
        {
            Fail(command);
            return result;
        }

        public override ValueTask<Microsoft.EntityFrameworkCore.Diagnostics.InterceptionResult<System.Data.Common.DbDataReader>> ReaderExecutingAsync(
            System.Data.Common.DbCommand command, Microsoft.EntityFrameworkCore.Diagnostics.CommandEventData eventData, Microsoft.EntityFrameworkCore.Diagnostics.InterceptionResult<System.Data.Common.DbDataReader> result, CancellationToken cancellationToken = default)
        {
            Fail(command);
            return ValueTask.FromResult(result);
        }

        private void Fail(System.Data.Common.DbCommand command)
        {
            if (command.CommandText.Contains("INSERT INTO \"Users\"", StringComparison.Ordinal) && Interlocked.Exchange(ref _failed, 1) == 0)
            {
                throw new TransientFailure();
            }
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task SaveChanges_OwnTransaction_DetectsChangesOnceLikePlainEfCoreAndDetectsAgainNextTime(bool async)
    {
        await using var bus = await EfBus.StartAsync([Crm()], processing: false);
        await using (bus.Scope(out var db))
        {
            var scans = 0;
            db.ChangeTracker.DetectedAllChanges += (_, _) => scans++;
            var user = new User { UserName = "ann", Email = "ann@example.com" };
            db.Users.Add(user);
            Assert.Equal(1, async ? await db.SaveChangesAsync(Token) : db.SaveChanges());

            // One scan of the tracker, as a SaveChanges without the bus makes; the bus neither adds its own nor leaves
            // the suppressed outer SaveChanges to scan again.
            Assert.Equal(1, scans);
            Assert.True(db.ChangeTracker.AutoDetectChangesEnabled);
            Assert.Equal(EntityState.Unchanged, db.Entry(user).State);

            // A later change made on the object alone is still detected by the next save.
            user.Email = "new@example.com";
            Assert.Equal(1, async ? await db.SaveChangesAsync(Token) : db.SaveChanges());
            Assert.Equal(2, scans);
        }

        Assert.Equal([TaskType.CreateObject, TaskType.UpdateObject], (await bus.QueueAsync("crm")).Select(t => t.TaskType));
        await using (bus.Scope(out var db))
        {
            Assert.Equal("new@example.com", await db.Users.Select(u => u.Email).SingleAsync(Token));
        }
    }

    [Fact]
    public async Task SaveChanges_ApplicationTurnedAutoDetectChangesOff_StaysOff()
    {
        await using var bus = await EfBus.StartAsync([Crm()], processing: false);
        await using (bus.Scope(out var db))
        {
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            db.Users.Add(new User { UserName = "ann" });
            await db.SaveChangesAsync(Token);
            Assert.False(db.ChangeTracker.AutoDetectChangesEnabled);
        }

        Assert.Equal(["ann"], (await bus.QueueAsync("crm")).Select(t => t.Task.ObjectCodeName));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task SaveChanges_LaterInterceptorSetsAPropertyInSavingChanges_SavedAndInThePayload(bool async)
    {
        await using var bus = await EfBus.StartAsync([Crm()], processing: false, context: options => options.AddInterceptors(new StampEmail()));
        await using (bus.Scope(out var db))
        {
            db.Users.Add(new User { UserName = "ann", Email = "ann@example.com" });
            _ = async ? await db.SaveChangesAsync(Token) : db.SaveChanges();
        }

        await using (bus.Scope(out var db))
        {
            Assert.Equal("stamped@example.com", await db.Users.Select(u => u.Email).SingleAsync(Token));
        }

        var task = Assert.Single(await bus.QueueAsync("crm"));
        using var payload = JsonDocument.Parse((await bus.PayloadAsync(task.TaskId))!);
        Assert.Equal("stamped@example.com", payload.RootElement.GetProperty("object").GetProperty("fields").GetProperty("Email").GetString());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task SaveChanges_LaterInterceptorThrowsAfterTheBusCommitted_DetectionTurnedBackOn(bool async)
    {
        await using var bus = await EfBus.StartAsync([Crm()], processing: false, context: options => options.AddInterceptors(new ThrowOnSecondSavedChanges()));
        await using (bus.Scope(out var db))
        {
            var user = new User { UserName = "ann" };
            db.Users.Add(user);
            await Assert.ThrowsAsync<InvalidOperationException>(async () => _ = async ? await db.SaveChangesAsync(Token) : db.SaveChanges());
            Assert.True(db.ChangeTracker.AutoDetectChangesEnabled);

            // The bus's transaction had committed: the row and its task are there, and the entry was not accepted.
            Assert.Equal(EntityState.Added, db.Entry(user).State);
        }

        Assert.Single(await bus.QueueAsync("crm"));
    }

    /// <summary>Runs the asynchronous or the synchronous form of an EF Core call, as the test case asks.</summary>
    private static async Task Either(bool async, Func<Task> asynchronous, Action synchronous)
    {
        if (async)
        {
            await asynchronous();
        }
        else
        {
            synchronous();
        }
    }

    /// <summary>Sets every added user's e-mail on the object (not through the entry), as audit interceptors often do.</summary>
    private sealed class StampEmail : Microsoft.EntityFrameworkCore.Diagnostics.SaveChangesInterceptor
    {
        public override Microsoft.EntityFrameworkCore.Diagnostics.InterceptionResult<int> SavingChanges(
            Microsoft.EntityFrameworkCore.Diagnostics.DbContextEventData eventData, Microsoft.EntityFrameworkCore.Diagnostics.InterceptionResult<int> result)
        {
            Stamp(eventData.Context!);
            return result;
        }

        public override ValueTask<Microsoft.EntityFrameworkCore.Diagnostics.InterceptionResult<int>> SavingChangesAsync(
            Microsoft.EntityFrameworkCore.Diagnostics.DbContextEventData eventData, Microsoft.EntityFrameworkCore.Diagnostics.InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            Stamp(eventData.Context!);
            return ValueTask.FromResult(result);
        }

        private static void Stamp(DbContext context)
        {
            foreach (var user in context.ChangeTracker.Entries<User>().Where(e => e.State == EntityState.Added).Select(e => e.Entity).ToList())
            {
                user.Email = "stamped@example.com";
            }
        }
    }

    /// <summary>Throws from the second SavedChanges it sees: the outer one, after the bus's nested save committed.</summary>
    private sealed class ThrowOnSecondSavedChanges : Microsoft.EntityFrameworkCore.Diagnostics.SaveChangesInterceptor
    {
        private int _calls;

        public override int SavedChanges(Microsoft.EntityFrameworkCore.Diagnostics.SaveChangesCompletedEventData eventData, int result) =>
            ++_calls == 2 ? throw new InvalidOperationException("An interceptor failed after the save.") : result;

        public override ValueTask<int> SavedChangesAsync(Microsoft.EntityFrameworkCore.Diagnostics.SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(SavedChanges(eventData, result));
    }

    [Fact]
    public async Task SaveChangesAsync_Fails_LogsNothing()
    {
        await using var bus = await EfBus.StartAsync([Crm()], processing: false);
        await using (bus.Scope(out var db))
        {
            db.Users.Add(new User { UserName = "ann" });
            await db.SaveChangesAsync(Token);
        }

        await using (bus.Scope(out var db))
        {
            db.Users.Add(new User { UserName = "bob" });
            db.Users.Add(new User { UserName = "ann" });
            await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync(Token));
        }

        Assert.Single(await bus.QueueAsync("crm"));
        await using (bus.Scope(out var db))
        {
            Assert.Equal(["ann"], await db.Users.Select(u => u.UserName).ToListAsync(Token));
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task SaveChanges_AcceptAllChangesOnSuccessFalse_EntriesKeepTheirStateUntilAccepted(bool async)
    {
        await using var bus = await EfBus.StartAsync([Crm()], processing: false);
        await using (bus.Scope(out var db))
        {
            var user = new User { UserName = "ann" };
            db.Users.Add(user);
            Assert.Equal(1, async ? await db.SaveChangesAsync(acceptAllChangesOnSuccess: false, Token) : db.SaveChanges(acceptAllChangesOnSuccess: false));
            Assert.Equal(EntityState.Added, db.Entry(user).State);
            db.ChangeTracker.AcceptAllChanges();
            Assert.Equal(EntityState.Unchanged, db.Entry(user).State);
        }

        Assert.Equal(["ann"], (await bus.QueueAsync("crm")).Select(t => t.Task.ObjectCodeName));
    }

    [Fact]
    public async Task SaveChangesAsync_PooledContextUsedAgain_AcceptsChangesEachTime()
    {
        await using var bus = await EfBus.StartAsync([Crm()], processing: false, pooled: true);
        foreach (var name in new[] { "ann", "bob", "cid" })
        {
            await using (bus.Scope(out var db))
            {
                var user = new User { UserName = name };
                db.Users.Add(user);
                await db.SaveChangesAsync(Token);
                Assert.Equal(EntityState.Unchanged, db.Entry(user).State);
                user.Email = $"{name}@example.com";
                await db.SaveChangesAsync(Token);
            }
        }

        Assert.Equal(6, (await bus.QueueAsync("crm")).Count);
        await using (bus.Scope(out var db))
        {
            Assert.Equal(3, await db.Users.CountAsync(Token));
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ExplicitTransaction_TasksExistOnlyIfItCommitsAndRunnersWakeAfterCommit(bool commit)
    {
        var crm = Crm();
        await using var bus = await EfBus.StartAsync([crm]);
        await using (bus.Scope(out var db))
        {
            await using var transaction = await db.Database.BeginTransactionAsync(Token);
            db.Users.Add(new User { UserName = "ann" });
            await db.SaveChangesAsync(Token);
            db.Users.Add(new User { UserName = "bob" });
            await db.SaveChangesAsync(Token);
            Assert.Empty(crm.Tasks);
            if (commit)
            {
                await transaction.CommitAsync(Token);
            }
            else
            {
                await transaction.RollbackAsync(Token);
            }
        }

        if (commit)
        {
            await crm.WaitForAsync(2);
            Assert.Equal(["ann", "bob"], crm.Tasks.Select(t => t.Object.CodeName));
        }
        else
        {
            Assert.Empty(await bus.QueueAsync());
        }
    }

    [Fact]
    public async Task SaveChangesAsync_SynchronousConnector_CalledAfterCommitWithSavedValues()
    {
        var audit = new Recorder("audit", s => s.AllObjects(SubscriptionMode.Sync));
        await using var bus = await EfBus.StartAsync([audit]);
        await using (bus.Scope(out var db))
        {
            db.Users.Add(new User { UserName = "ann" });
            await db.SaveChangesAsync(Token);
        }

        var change = Assert.Single(audit.Synchronous);
        Assert.Equal(TaskType.CreateObject, change.TaskType);
        Assert.True(change.Object.Id > 0);
        Assert.Empty(await bus.QueueAsync());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task SaveChanges_TransactionDisposedWithoutCommit_ItsChangesNeverReachTheNextCommit(bool async)
    {
        // Disposing a transaction that was not committed rolls it back without EF Core's rollback events.
        var audit = new Recorder("audit", s => s.AllObjects(SubscriptionMode.Sync));
        var crm = new Recorder("crm", s => s.AllObjects(SubscriptionMode.AsyncSimple));
        await using var bus = await EfBus.StartAsync([audit, crm], processing: false);
        await using (bus.Scope(out var db))
        {
            using (var abandoned = db.Database.BeginTransaction())
            {
                db.Users.Add(new User { UserName = "ann" });
                _ = async ? await db.SaveChangesAsync(Token) : db.SaveChanges();
            }

            db.ChangeTracker.Clear();
            using (var transaction = db.Database.BeginTransaction())
            {
                db.Users.Add(new User { UserName = "bob" });
                _ = async ? await db.SaveChangesAsync(Token) : db.SaveChanges();
                await Either(async, () => transaction.CommitAsync(Token), () => transaction.Commit());
            }
        }

        Assert.Equal(["bob"], audit.Synchronous.Select(c => c.Object.CodeName));
        Assert.Equal(["bob"], (await bus.QueueAsync("crm")).Select(t => t.Task.ObjectCodeName));
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public async Task SaveChanges_RolledBackToSavepoint_ChangesSinceItReachNoConnector(bool async, bool failedSaveInBetween)
    {
        // The rows and tasks after the savepoint are rolled back by the database; the synchronous calls must go with them,
        // also when a failed SaveChanges rolled back to EF Core's own savepoint in between.
        var audit = new Recorder("audit", s => s.AllObjects(SubscriptionMode.Sync));
        var crm = new Recorder("crm", s => s.AllObjects(SubscriptionMode.AsyncSimple));
        await using var bus = await EfBus.StartAsync([audit, crm], processing: false);
        await using (bus.Scope(out var db))
        {
            using var transaction = db.Database.BeginTransaction();
            db.Users.Add(new User { UserName = "ann" });
            _ = async ? await db.SaveChangesAsync(Token) : db.SaveChanges();
            await Either(async, () => transaction.CreateSavepointAsync("before-bob", Token), () => transaction.CreateSavepoint("before-bob"));

            var bob = new User { UserName = "bob" };
            db.Users.Add(bob);
            _ = async ? await db.SaveChangesAsync(Token) : db.SaveChanges();
            if (failedSaveInBetween)
            {
                var duplicate = db.Users.Add(new User { UserName = "bob" });
                await Assert.ThrowsAsync<DbUpdateException>(async () => _ = async ? await db.SaveChangesAsync(Token) : db.SaveChanges());
                duplicate.State = EntityState.Detached;
            }

            await Either(async, () => transaction.RollbackToSavepointAsync("before-bob", Token), () => transaction.RollbackToSavepoint("before-bob"));

            db.Entry(bob).State = EntityState.Detached;
            db.Users.Add(new User { UserName = "cy" });
            _ = async ? await db.SaveChangesAsync(Token) : db.SaveChanges();
            await Either(async, () => transaction.CommitAsync(Token), () => transaction.Commit());
        }

        Assert.Equal(["ann", "cy"], audit.Synchronous.Select(c => c.Object.CodeName));
        Assert.Equal(["ann", "cy"], (await bus.QueueAsync("crm")).Select(t => t.Task.ObjectCodeName));
    }

    [Fact]
    public async Task SaveChangesAsync_SnapshotOfPoll_CarriesAnswersRolesAndOwnerRecord()
    {
        var crm = new Recorder("crm", s => s.Objects("polls.poll", SubscriptionMode.AsyncSnapshot));
        await using var bus = await EfBus.StartAsync([crm]);
        Guid ownerGuid;
        await using (bus.Scope(out var db))
        {
            var owner = new User { UserName = "owner" };
            ownerGuid = owner.UserGuid;
            var role = new Role { RoleName = "editors" };
            db.Polls.Add(new Poll { PollCodeName = "p1", Question = "Tea?", Owner = owner, Answers = [new() { Text = "Yes" }, new() { Text = "No" }], Roles = [role] });
            await db.SaveChangesAsync(Token);
        }

        await crm.WaitForAsync(1);
        var snapshot = crm.Tasks[0].Snapshot;
        Assert.Equal(DataType.Snapshot, crm.Tasks[0].DataType);
        Assert.Equal(["Yes", "No"], snapshot.Children.Select(c => c.Object.GetString("Text")));
        Assert.Equal(ownerGuid, snapshot.References["OwnerUserId"].Guid);
        Assert.Equal("owner", snapshot.References["OwnerUserId"].CodeName);
        var binding = Assert.Single(snapshot.Bindings);
        Assert.Equal("editors", binding.References["RolesRoleId"].CodeName);
    }

    [Fact]
    public async Task SaveChangesAsync_BindingRowAddedToTrackedOwner_OwnerUpdateLoggedWithOneTrackerScan()
    {
        var crm = new Recorder("crm", s => s.Objects("polls.poll", SubscriptionMode.AsyncSimple));
        await using var bus = await EfBus.StartAsync([crm], processing: false);
        await using (bus.Scope(out var db))
        {
            db.Polls.Add(new Poll { PollCodeName = "p1", Question = "Tea?" });
            db.Roles.Add(new Role { RoleName = "editors" });
            await db.SaveChangesAsync(Token);
        }

        await using (bus.Scope(out var db))
        {
            var poll = await db.Polls.Include(p => p.Roles).SingleAsync(Token);
            poll.Roles.Add(await db.Roles.SingleAsync(Token));
            var scans = 0;
            db.ChangeTracker.DetectedAllChanges += (_, _) => scans++;
            await db.SaveChangesAsync(Token);

            // The join row's owner is found through the tracker without scanning it again after EF Core's own scan.
            Assert.Equal(1, scans);
        }

        Assert.Equal([TaskType.CreateObject, TaskType.UpdateObject], (await bus.QueueAsync("crm")).Select(t => t.TaskType));
    }

    [Fact]
    public async Task LogPageOperation_Publish_LoggedWithSaveChangesAndTagsInPayload()
    {
        var search = new Recorder("search", s => s.AllPages(SubscriptionMode.AsyncSimpleSnapshot));
        await using var bus = await EfBus.StartAsync([search]);
        await using (bus.Scope(out var db))
        {
            var article = new Article { NodeAliasPath = "/news/one", Title = "One", Tags = [new() { Name = "dotnet" }, new() { Name = "sync" }] };
            db.Articles.Add(article);
            await db.SaveChangesAsync(Token);
            db.LogPageOperation(article, TaskType.PublishPage);
            await db.SaveChangesAsync(Token);
        }

        await search.WaitForAsync(2);
        Assert.Equal([TaskType.CreatePage, TaskType.PublishPage], search.Tasks.Select(t => t.TaskType));
        Assert.Equal(["dotnet", "sync"], ((IReadOnlyList<object?>)search.Tasks[0].Object["Tags"]!).Cast<string>());
        Assert.Equal("/news/one", search.Tasks[1].Object.AliasPath);
    }

    [Fact]
    public async Task LogPageOperation_PooledContextReturnedWithoutSaving_NextRenterDoesNotLogIt()
    {
        // A request that queues a page operation and then gives up (its validation failed, say) returns its pooled
        // context: the next request to rent it must not send that operation with a save of its own.
        var search = new Recorder("search", s => s.AllPages(SubscriptionMode.AsyncSimple));
        await using var bus = await EfBus.StartAsync([search], processing: false, pooled: true);
        AppDb first;
        await using (bus.Scope(out var db))
        {
            first = db;
            var article = new Article { NodeAliasPath = "/news/one", Title = "One" };
            db.Articles.Add(article);
            await db.SaveChangesAsync(Token);
            db.LogPageOperation(article, TaskType.DeleteAllCultures);
        }

        await using (bus.Scope(out var db))
        {
            Assert.Same(first, db);
            db.Articles.Add(new Article { NodeAliasPath = "/news/two", Title = "Two" });
            await db.SaveChangesAsync(Token);
        }

        Assert.Equal(
            [(TaskType.CreatePage, "/news/one"), (TaskType.CreatePage, "/news/two")],
            (await bus.QueueAsync("search")).Select(t => (t.TaskType, t.Task.ObjectCodeName)));
    }

    [Fact]
    public async Task LogPageOperation_NotAPageOperation_Throws()
    {
        await using var bus = await EfBus.StartAsync([Crm()], processing: false);
        await using (bus.Scope(out var db))
        {
            var exception = Assert.Throws<ArgumentException>(() => db.LogPageOperation(new Article(), TaskType.UpdatePage));
            Assert.Contains("UpdatePage", exception.Message, StringComparison.Ordinal);
        }
    }
}
