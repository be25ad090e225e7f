using System.Transactions;
using IntegrationBus.EntityFrameworkCore.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace IntegrationBus.EntityFrameworkCore.Tests;

/// <summary>SaveChanges inside a TransactionScope: EF Core exposes no database transaction there for the tasks, so a save with bus changes is refused whole.</summary>
public sealed class AmbientTransactionTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task SaveChanges_BusEntityInTransactionScope_RefusedClearlyNothingSavedAndTheContextSavesLater(bool async)
    {
        await using var bus = await EfBus.StartAsync([new Recorder("crm", s => s.AllObjects(SubscriptionMode.AsyncSimple))], processing: false);
        await using (bus.Scope(out var db))
        {
            db.Users.Add(new User { UserName = "ann" });
            using (new TransactionScope(TransactionScopeAsyncFlowOption.Enabled))
            {
                var refused = async
                    ? await Assert.ThrowsAsync<IntegrationBusException>(() => db.SaveChangesAsync(Token))
                    : Assert.Throws<IntegrationBusException>(() => db.SaveChanges());
                Assert.Contains("TransactionScope", refused.Message, StringComparison.Ordinal);
                Assert.Contains("Database.BeginTransaction()", refused.Message, StringComparison.Ordinal);
            }

            Assert.Empty(await bus.QueueAsync("crm"));
            Assert.Equal(0, await db.Users.CountAsync(Token));

            // The refused save left nothing captured behind: outside the scope the same entity is saved with one task.
            Assert.Equal(1, async ? await db.SaveChangesAsync(Token) : db.SaveChanges());
        }

        var task = Assert.Single(await bus.QueueAsync("crm"));
        Assert.Equal(TaskType.CreateObject, task.TaskType);
    }
}
