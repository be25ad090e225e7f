using System.Text;
using System.Text.Json;
using IntegrationBus.Management;
using IntegrationBus.Storage;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationBus.Dashboard.Tests.Support;

/// <summary>
/// TEMPORARY, until branch mgmt-api is merged: the management API of /work/issue10-contract.md over
/// <see cref="IntegrationBusManagement"/>, just enough for the dashboard's browser tests. Removed at the merge.
/// </summary>
internal static class ManagementApiStub
{
    public const string Header = "X-IntegrationBus-Antiforgery";

    public static void Map(RouteGroupBuilder group, string operatePolicy)
    {
        var api = group.MapGroup("/api");
        api.MapGet("/queues", (IntegrationBusManagement m, CancellationToken ct) => m.GetQueuesAsync(ct));
        api.MapGet("/tasks", async (HttpContext c, IntegrationBusManagement m, CancellationToken ct) =>
        {
            var page = await m.ListTasksAsync(Filter(c.Request.Query), ct);
            return Results.Json(new { items = page.Items, next = page.Next is { } n ? Cursor(n) : null });
        });
        api.MapGet("/tasks/count", async (HttpContext c, IntegrationBusManagement m, CancellationToken ct) => Results.Json(new { count = await m.CountTasksAsync(Filter(c.Request.Query), ct) }));
        api.MapGet("/tasks/{id:long}", async (long id, IntegrationBusManagement m, CancellationToken ct) => await m.GetTaskAsync(id, ct) is { } t ? Results.Json(t) : Results.Problem(statusCode: 404, title: "No such task"));
        api.MapGet("/settings", (IntegrationBusManagement m, CancellationToken ct) => m.GetSettingsAsync(ct));
        api.MapGet("/audit", (IntegrationBusManagement m, long? beforeId, int? limit, CancellationToken ct) => m.ListAuditAsync(new AuditQuery { BeforeId = beforeId, Limit = limit ?? 50 }, ct));
        api.MapGet("/me", (HttpContext c, IAntiforgery antiforgery) => Results.Json(new
        {
            name = c.User.Identity?.Name,
            canOperate = c.User.IsInRole("admin"),
            antiforgeryToken = antiforgery.GetAndStoreTokens(c).RequestToken,
            antiforgeryHeader = Header,
        }));

        var operate = api.MapGroup("").RequireAuthorization(operatePolicy).AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            if (!http.Request.Headers.ContainsKey("Authorization") && !await http.RequestServices.GetRequiredService<IAntiforgery>().IsRequestValidAsync(http))
            {
                return Results.Problem(statusCode: 400, title: "Bad request", detail: "antiforgery token missing or invalid");
            }

            return await next(context);
        });
        operate.MapPost("/tasks/{id:long}/retry", async (long id, string? connector, HttpContext c, IntegrationBusManagement m, CancellationToken ct) => Count(await m.RetryTaskAsync(id, connector, c.User.Identity?.Name, ct)));
        operate.MapDelete("/tasks/{id:long}", async (long id, string? connector, HttpContext c, IntegrationBusManagement m, CancellationToken ct) => Count(await m.DeleteTaskAsync(id, connector, c.User.Identity?.Name, ct)));
        operate.MapPost("/tasks/retry", (HttpContext c, IntegrationBusManagement m, CancellationToken ct) => BulkAsync(c, m, m.RetryTasksAsync, ct));
        operate.MapPost("/tasks/delete", (HttpContext c, IntegrationBusManagement m, CancellationToken ct) => BulkAsync(c, m, m.DeleteTasksAsync, ct));
        operate.MapPost("/connectors/{name}/enable", async Task<IResult> (string name, HttpContext c, IntegrationBusManagement m, CancellationToken ct) => { await m.SetConnectorEnabledAsync(name, true, c.User.Identity?.Name, ct); return Results.NoContent(); });
        operate.MapPost("/connectors/{name}/disable", async Task<IResult> (string name, HttpContext c, IntegrationBusManagement m, CancellationToken ct) => { await m.SetConnectorEnabledAsync(name, false, c.User.Identity?.Name, ct); return Results.NoContent(); });
        operate.MapPut("/settings", async Task<IResult> (BusSettings s, HttpContext c, IntegrationBusManagement m, CancellationToken ct) => { await m.UpdateSettingsAsync(s, c.User.Identity?.Name, ct); return Results.Json(await m.GetSettingsAsync(ct)); });
        operate.MapPost("/processing", async Task<IResult> (string? connector, TaskDirection? direction, IntegrationBusManagement m, CancellationToken ct) => { await m.RequestProcessingAsync(connector, direction, ct); return Results.Accepted(); });
        operate.MapPost("/retention/purge", (HttpContext c, IntegrationBusManagement m, CancellationToken ct) => m.PurgeAsync(c.User.Identity?.Name, ct));
    }

    private static IResult Count(int count) => count == 0 ? Results.Problem(statusCode: 404, title: "No such task") : Results.Json(new { count });

    private static async Task<IResult> BulkAsync(HttpContext context, IntegrationBusManagement management, Func<TaskQuery, string?, CancellationToken, Task<BulkActionResult>> action, CancellationToken cancellationToken)
    {
        var body = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: cancellationToken);
        var values = body.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() : p.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var filter = Filter(values!);
        if (values.TryGetValue("dryRun", out var dry) && dry is "True" or "true")
        {
            return Results.Json(new { count = await management.CountTasksAsync(filter, cancellationToken), dryRun = true });
        }

        var result = await action(filter, context.User.Identity?.Name, cancellationToken);
        return Results.Json(new { count = result.Count, batches = result.Batches, dryRun = false });
    }

    private static TaskQuery Filter(IQueryCollection query) => Filter(query.ToDictionary(q => q.Key, q => (string?)q.Value.ToString(), StringComparer.OrdinalIgnoreCase));

    private static TaskQuery Filter(Dictionary<string, string?> values)
    {
        string? Get(string name) => values.TryGetValue(name, out var v) && !string.IsNullOrEmpty(v) ? v : null;
        return new TaskQuery
        {
            Connector = Get("connector"),
            Direction = Get("direction") is { } d ? Enum.Parse<TaskDirection>(d, true) : null,
            Status = Get("status") is { } s ? Enum.Parse<SynchronizationStatus>(s, true) : null,
            ObjectType = Get("objectType"),
            TaskType = Get("taskType") is { } t ? Enum.Parse<TaskType>(t, true) : null,
            Text = Get("text"),
            CreatedFrom = Get("createdFrom") is { } f ? DateTimeOffset.Parse(f, System.Globalization.CultureInfo.InvariantCulture) : null,
            CreatedBefore = Get("createdBefore") is { } b ? DateTimeOffset.Parse(b, System.Globalization.CultureInfo.InvariantCulture) : null,
            After = Get("after") is { } a ? Position(a) : null,
            Limit = Get("limit") is { } l ? int.Parse(l, System.Globalization.CultureInfo.InvariantCulture) : 50,
        };
    }

    private static string Cursor(TaskPosition p) => Convert.ToBase64String(Encoding.UTF8.GetBytes($"{p.TaskId}|{p.Direction}|{p.Connector}"));

    private static TaskPosition Position(string cursor)
    {
        var parts = Encoding.UTF8.GetString(Convert.FromBase64String(cursor)).Split('|', 3);
        return new TaskPosition(long.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture), parts[2], Enum.Parse<TaskDirection>(parts[1]));
    }
}
