using IntegrationBus.EntityFrameworkCore.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace IntegrationBus.EntityFrameworkCore.Tests;

public sealed class EntityChangesTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SaveChangesAsync_OnlyPageTagsChanged_LogsUpdatePageWithNewTags()
    {
        var search = new Recorder("search", s => s.AllPages(SubscriptionMode.AsyncSimpleSnapshot));
        await using var bus = await EfBus.StartAsync([search]);
        await using (bus.Scope(out var db))
        {
            var article = new Article { NodeAliasPath = "/news/one", Title = "One", Tags = [new() { Name = "dotnet" }] };
            db.Articles.Add(article);
            await db.SaveChangesAsync(Token);
            article.Tags.Add(new Tag { Name = "sync" });   // only the many-to-many join rows change: the article's own columns do not
            await db.SaveChangesAsync(Token);
        }

        await search.WaitForAsync(2);
        Assert.Equal([TaskType.CreatePage, TaskType.UpdatePage], search.Tasks.Select(t => t.TaskType));
        Assert.Equal(["dotnet", "sync"], ((IReadOnlyList<object?>)search.Tasks[1].Object["Tags"]!).Cast<string>());
    }

    [Fact]
    public async Task SaveChangesAsync_UnrelatedUntrackedRowChanged_LogsNothingForPages()
    {
        var search = new Recorder("search", s => s.AllPages(SubscriptionMode.AsyncSimpleSnapshot));
        await using var bus = await EfBus.StartAsync([search], processing: false);
        await using (bus.Scope(out var db))
        {
            db.Tags.Add(new Tag { Name = "loose" });   // a tag on no page
            await db.SaveChangesAsync(Token);
        }

        Assert.Empty(await bus.QueueAsync("search"));
    }
}
