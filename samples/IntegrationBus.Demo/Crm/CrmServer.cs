using System.Text.Json;
using IntegrationBus.Demo.Scenario;

namespace IntegrationBus.Demo.Crm;

/// <summary>
/// The external "CRM": a second web application on its own port with its own SQLite database. It stores contacts and
/// polls, deduplicates deliveries by their Idempotency-Key, can be switched down (503) and up, and pushes contact
/// changes back to the content application's incoming endpoint.
/// </summary>
public static class CrmServer
{
    public static async Task<WebApplication> StartAsync(string urls, string dataDirectory, DemoLinks links)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(urls);
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(new CrmDatabase(Path.Combine(dataDirectory, "crm.db")));
        builder.Services.AddSingleton<CrmSwitch>();
        builder.Services.AddHttpClient("content");
        var app = builder.Build();
        app.Use(async (context, next) =>
        {
            var down = context.RequestServices.GetRequiredService<CrmSwitch>().IsDown;
            if (down && !context.Request.Path.StartsWithSegments("/admin"))
            {
                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                return;
            }

            await next(context);
        });
        MapData(app);
        MapAdmin(app, links);
        await app.StartAsync();
        links.CrmUrl = new Uri(app.Urls.First());
        return app;
    }

    private static void MapData(WebApplication app)
    {
        app.MapPut("/segments/{code}", async (string code, CrmDatabase db, CancellationToken ct) => Results.Ok(new { id = await db.EnsureSegmentAsync(code, ct) }));
        app.MapGet("/segments/{id:long}", async (long id, CrmDatabase db, CancellationToken ct) =>
            await db.FindSegmentCodeAsync(id, ct) is { } code ? Results.Ok(new { id, code }) : Results.NotFound());
        app.MapPut("/contacts/{guid:guid}", async (Guid guid, CrmContact contact, HttpRequest request, CrmDatabase db, CancellationToken ct) =>
            await ApplyAsync(request, db, DemoConnectors.CrmUsers, guid, Delivery.SequenceOf(contact.Version), """
                INSERT INTO contact (guid, email, full_name, segment_id, version) VALUES ($guid, $email, $name, $segment, $version)
                ON CONFLICT (guid) DO UPDATE SET email = excluded.email, full_name = excluded.full_name, segment_id = excluded.segment_id, version = excluded.version
                """, ct, ("$email", contact.Email), ("$name", contact.FullName), ("$segment", contact.SegmentId), ("$version", contact.Version)));
        app.MapDelete("/contacts/{guid:guid}", async (Guid guid, HttpRequest request, CrmDatabase db, CancellationToken ct) =>
            await ApplyAsync(request, db, DemoConnectors.CrmUsers, guid, Delivery.Deleted, "DELETE FROM contact WHERE guid = $guid", ct));
        app.MapPut("/polls/{guid:guid}", async (Guid guid, CrmPoll poll, HttpRequest request, CrmDatabase db, CancellationToken ct) =>
            await ApplyAsync(request, db, DemoConnectors.CrmPolls, guid, Delivery.SequenceOf(poll.Version), """
                INSERT INTO poll (guid, name, question, version, answers, segment_ids) VALUES ($guid, $name, $question, $version, $answers, $segments)
                ON CONFLICT (guid) DO UPDATE SET name = excluded.name, question = excluded.question, version = excluded.version,
                    answers = excluded.answers, segment_ids = excluded.segment_ids
                """, ct, ("$name", poll.Name), ("$question", poll.Question), ("$version", poll.Version),
                ("$answers", JsonSerializer.Serialize(poll.Answers)), ("$segments", JsonSerializer.Serialize(poll.SegmentIds))));
        app.MapDelete("/polls/{guid:guid}", async (Guid guid, HttpRequest request, CrmDatabase db, CancellationToken ct) =>
            await ApplyAsync(request, db, DemoConnectors.CrmPolls, guid, Delivery.Deleted, "DELETE FROM poll WHERE guid = $guid", ct));
    }

    private static void MapAdmin(WebApplication app, DemoLinks links)
    {
        app.MapPost("/admin/down", (CrmSwitch crm) => crm.IsDown = true);
        app.MapPost("/admin/up", (CrmSwitch crm) => crm.IsDown = false);
        app.MapGet("/admin/deliveries/{connector}", async (string connector, CrmDatabase db, CancellationToken ct) => await db.GetDeliveriesAsync(connector, ct));
        app.MapGet("/admin/contacts/{guid:guid}", async (Guid guid, CrmDatabase db, CancellationToken ct) =>
            await db.GetContactAsync(guid, ct) is { } contact ? Results.Ok(contact) : Results.NotFound());

        // A CRM user edits a contact: the CRM stores it and pushes it to the content application's incoming endpoint.
        app.MapPost("/admin/contacts/{guid:guid}/push", async (Guid guid, CrmEdit edit, CrmDatabase db, IHttpClientFactory clients, CancellationToken ct) =>
        {
            var crmVersion = await db.BumpCrmVersionAsync(guid, edit.FullName, ct);
            if (crmVersion < 0 || await db.GetContactAsync(guid, ct) is not { } contact)
            {
                return Results.NotFound();
            }

            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(links.ContentUrl!, "/integration/connectors/crm/incoming"))
            {
                Content = JsonContent.Create(new { taskType = "UpdateObject", dataType = "SimpleSnapshot", @object = contact }),
            };
            request.Headers.Add("X-Api-Key", DemoLinks.ApiKey);
            request.Headers.Add("Idempotency-Key", $"{guid:N}:{crmVersion}");
            using var response = await clients.CreateClient("content").SendAsync(request, ct);
            return Results.Json(new { crmVersion, status = (int)response.StatusCode, body = await response.Content.ReadAsStringAsync(ct) });
        });
    }

    private static async Task<IResult> ApplyAsync(HttpRequest request, CrmDatabase db, string connector, Guid guid, long sequence, string sql, CancellationToken ct, params (string, object?)[] parameters)
    {
        if (request.Headers["Idempotency-Key"].ToString() is not { Length: > 0 } key)
        {
            return Results.BadRequest("An Idempotency-Key header is required.");
        }

        var applied = await db.ApplyOnceAsync(key, connector, guid.ToString("N"), sequence, sql, ct, [("$guid", guid.ToString("N")), .. parameters]);
        return Results.Ok(new { repeated = !applied });
    }
}
