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
    [InlineData(true)]
    [InlineData(false)]
    public async Task SaveChanges_InTransactionScope_RefusedBeforeAnythingIsWrittenAndTheScopeStaysUsable(bool async)
    {
        // Npgsql enlists in the ambient transaction, but EF Core exposes no database transaction inside it for the
        // tasks: the save is refused whole, and the application's other work in the scope is not disturbed.
        await using var bus = await PgEfBus.StartAsync(retryOnFailure: false);
        await using (bus.Scope(out var db))
        {
            using (var scope = new System.Transactions.TransactionScope(System.Transactions.TransactionScopeAsyncFlowOption.Enabled))
            {
                db.Users.Add(new PgUser { UserName = "ann" });
                var refused = async
                    ? await Assert.ThrowsAsync<IntegrationBusException>(() => db.SaveChangesAsync(Ct))
                    : Assert.Throws<IntegrationBusException>(() => db.SaveChanges());
                Assert.Contains("TransactionScope", refused.Message, StringComparison.Ordinal);
                Assert.Equal(0, await db.Users.CountAsync(Ct));
                scope.Complete();
            }

            Assert.Empty(await bus.QueueAsync());
            Assert.Equal(1, async ? await db.SaveChangesAsync(Ct) : db.SaveChanges());
        }

        Assert.Equal(["ann"], (await bus.QueueAsync()).Select(t => UserName(t.Payload)));
    }

    private static string? UserName(string payload)
    {
        using var json = System.Text.Json.JsonDocument.Parse(payload);
        return json.RootElement.GetProperty("object").GetProperty("fields").GetProperty("UserName").GetString();
    }
}
