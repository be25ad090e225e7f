using IntegrationBus.Demo.Search;
using IntegrationBus.EntityFrameworkCore;
using IntegrationBus.Management;
using IntegrationBus.Storage;
using Microsoft.EntityFrameworkCore;

namespace IntegrationBus.Demo.Content;

/// <summary>The content application's API. No endpoint logs a change by hand: SaveChanges does it (EF Core interceptor).</summary>
public static class ContentEndpoints
{
    public static void MapContentApi(this WebApplication app)
    {
        var api = app.MapGroup("/api");
        api.MapGet("/users/{id:int}", async (int id, AppDb db, CancellationToken ct) =>
            await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.UserId == id, ct) is { } user ? Results.Ok(user) : Results.NotFound());
        api.MapPost("/users", async (UserRequest request, AppDb db, CancellationToken ct) =>
        {
            var user = new User { UserGuid = Guid.NewGuid(), Version = 1 };
            await ApplyAsync(db, user, request, ct);
            db.Users.Add(user);
            await db.SaveChangesAsync(ct);
            return Results.Ok(new ChangeResponse(user.UserId, user.UserGuid, user.Version));
        });
        api.MapPut("/users/{id:int}", async (int id, UserRequest request, AppDb db, CancellationToken ct) =>
        {
            if (await db.Users.FindAsync([id], ct) is not { } user)
            {
                return Results.NotFound();
            }

            await ApplyAsync(db, user, request, ct);
            user.Version++;
            await db.SaveChangesAsync(ct);
            return Results.Ok(new ChangeResponse(user.UserId, user.UserGuid, user.Version));
        });
        api.MapDelete("/users/{id:int}", async (int id, AppDb db, CancellationToken ct) =>
        {
            if (await db.Users.FindAsync([id], ct) is not { } user)
            {
                return Results.NotFound();
            }

            db.Users.Remove(user);
            await db.SaveChangesAsync(ct);
            return Results.Ok(new ChangeResponse(user.UserId, user.UserGuid, user.Version));
        });
        MapPolls(api);
        MapPages(api);
        api.MapGet("/search", (SearchIndex index) => index.Documents);
        api.MapGet("/queues", async (IntegrationBusManagement management, CancellationToken ct) => await management.GetQueuesAsync(ct));
    }

    private static void MapPolls(RouteGroupBuilder api)
    {
        api.MapPost("/polls", async (PollRequest request, AppDb db, CancellationToken ct) =>
        {
            var poll = new Poll { PollGuid = Guid.NewGuid(), Version = 1 };
            await ApplyAsync(db, poll, request, ct);
            db.Polls.Add(poll);
            await db.SaveChangesAsync(ct);
            return Results.Ok(new ChangeResponse(poll.PollId, poll.PollGuid, poll.Version));
        });
        api.MapPut("/polls/{id:int}", async (int id, PollRequest request, AppDb db, CancellationToken ct) =>
        {
            if (await db.Polls.Include(p => p.Answers).Include(p => p.Roles).AsSplitQuery().FirstOrDefaultAsync(p => p.PollId == id, ct) is not { } poll)
            {
                return Results.NotFound();
            }

            await ApplyAsync(db, poll, request, ct);
            poll.Version++;
            await db.SaveChangesAsync(ct);
            return Results.Ok(new ChangeResponse(poll.PollId, poll.PollGuid, poll.Version));
        });
        api.MapDelete("/polls/{id:int}", async (int id, AppDb db, CancellationToken ct) =>
        {
            if (await db.Polls.Include(p => p.Answers).Include(p => p.Roles).AsSplitQuery().FirstOrDefaultAsync(p => p.PollId == id, ct) is not { } poll)
            {
                return Results.NotFound();
            }

            db.Polls.Remove(poll);
            await db.SaveChangesAsync(ct);
            return Results.Ok(new ChangeResponse(poll.PollId, poll.PollGuid, poll.Version));
        });
    }

    private static void MapPages(RouteGroupBuilder api)
    {
        api.MapPost("/pages", async (PageRequest request, AppDb db, CancellationToken ct) =>
        {
            var page = new Article { NodeGuid = Guid.NewGuid(), Version = 1 };
            await ApplyAsync(db, page, request, ct);
            db.Articles.Add(page);
            await db.SaveChangesAsync(ct);
            return Results.Ok(new ChangeResponse(page.ArticleId, page.NodeGuid, page.Version));
        });
        api.MapPut("/pages/{id:int}", async (int id, PageRequest request, AppDb db, CancellationToken ct) =>
        {
            if (await FindPageAsync(db, id, ct) is not { } page)
            {
                return Results.NotFound();
            }

            await ApplyAsync(db, page, request, ct);
            page.Version++;
            await db.SaveChangesAsync(ct);
            return Results.Ok(new ChangeResponse(page.ArticleId, page.NodeGuid, page.Version));
        });
        api.MapPost("/pages/{id:int}/publish", async (int id, AppDb db, CancellationToken ct) =>
        {
            if (await FindPageAsync(db, id, ct) is not { } page)
            {
                return Results.NotFound();
            }

            db.LogPageOperation(page, TaskType.PublishPage);   // page operations are not entity states: log them, then save
            await db.SaveChangesAsync(ct);
            return Results.Ok(new ChangeResponse(page.ArticleId, page.NodeGuid, page.Version));
        });
        api.MapDelete("/pages/{id:int}", async (int id, AppDb db, CancellationToken ct) =>
        {
            if (await FindPageAsync(db, id, ct) is not { } page)
            {
                return Results.NotFound();
            }

            db.Articles.Remove(page);
            await db.SaveChangesAsync(ct);
            return Results.Ok(new ChangeResponse(page.ArticleId, page.NodeGuid, page.Version));
        });
    }

    private static async Task ApplyAsync(AppDb db, User user, UserRequest request, CancellationToken ct)
    {
        user.UserName = request.UserName;
        user.Email = request.Email;
        user.FullName = request.FullName;
        user.RoleId = request.Role is null ? null : (await db.Roles.SingleAsync(r => r.RoleName == request.Role, ct)).RoleId;
    }

    private static async Task ApplyAsync(AppDb db, Poll poll, PollRequest request, CancellationToken ct)
    {
        poll.PollName = request.PollName;
        poll.Question = request.Question;
        poll.Answers.Clear();
        poll.Answers.AddRange(request.Answers.Select((text, i) => new PollAnswer { PollAnswerGuid = Guid.NewGuid(), Text = text, Position = i + 1 }));
        poll.Roles.Clear();
        poll.Roles.AddRange(await db.Roles.Where(r => request.Roles.Contains(r.RoleName)).ToListAsync(ct));
    }

    // The page's tags, categories and attachments are computed from its navigations, so every page the bus sees
    // (saved, deleted or published) is loaded with them.
    private static Task<Article?> FindPageAsync(AppDb db, int id, CancellationToken ct) =>
        db.Articles.Include(a => a.Tags).Include(a => a.Categories).Include(a => a.Attachments).AsSplitQuery().FirstOrDefaultAsync(a => a.ArticleId == id, ct);

    private static async Task ApplyAsync(AppDb db, Article page, PageRequest request, CancellationToken ct)
    {
        page.NodeAliasPath = request.AliasPath;
        page.Title = request.Title;
        page.Body = request.Body;
        var tags = await db.Tags.Where(t => request.Tags.Contains(t.Name)).ToListAsync(ct);
        page.Tags.Clear();
        page.Tags.AddRange(request.Tags.Select(name => tags.FirstOrDefault(t => t.Name == name) ?? new Tag { Name = name }));
        var categories = await db.Categories.Where(c => request.Categories.Contains(c.Name)).ToListAsync(ct);
        page.Categories.Clear();
        page.Categories.AddRange(request.Categories.Select(name => categories.FirstOrDefault(c => c.Name == name) ?? new Category { Name = name }));
        page.Attachments.Clear();
        page.Attachments.AddRange(request.Attachments.Select(file => new Attachment { FileName = file }));
    }
}
