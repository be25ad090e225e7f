using IntegrationBus.AspNetCore.Incoming;
using IntegrationBus.Management;
using IntegrationBus.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace IntegrationBus.AspNetCore.Management;

/// <summary>The blocked-key endpoints of the management API: list a connector's blocked keys, retry, skip or release a key's head (over <see cref="BlockedKeysManagement"/>).</summary>
/// <remarks>An action takes the key from the JSON body (<c>{"key": "…", "direction": "Outgoing"}</c>) or, without a body, from the query (<c>?key=…&amp;direction=…</c>), since a key may hold any character.</remarks>
internal sealed class BlockedKeysEndpoints(BlockedKeysManagement blockedKeys)
{
    private static readonly string[] Actions = ["retry", "skip", "release"];

    public static void Map(RouteGroupBuilder read, RouteGroupBuilder operate, IntegrationBusManagement management)
    {
        var handler = new BlockedKeysEndpoints(management.BlockedKeys);
        read.MapGet("/connectors/{name}/blocked-keys", (string name, HttpContext context) => handler.ListAsync(name, context))
            .WithName("IntegrationBusManagementListBlockedKeys")
            .WithSummary("Lists a connector's blocked keys (per-object ordering): each key's parked head task, its error and how many tasks wait behind it.")
            .WithDescription("Query: direction (Outgoing or Incoming, default both), after and afterDirection (the previous page's next and nextDirection), limit (1 to 1000, default 50).")
            .Produces<BlockedKeyListResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        foreach (var action in Actions)
        {
            operate.MapPost($"/connectors/{{name}}/blocked-keys/{action}", (string name, HttpContext context) => handler.ActAsync(name, action, context))
                .WithName($"IntegrationBusManagement{char.ToUpperInvariant(action[0])}{action[1..]}BlockedKey")
                .WithSummary(action switch
                {
                    "retry" => "Retries a blocked key's head: it becomes pending again and runs first in its key.",
                    "skip" => "Skips a blocked key's head: deletes its synchronization for the connector, so the key goes on.",
                    _ => "Releases a blocked key: its head stays failed, but the key's later tasks no longer wait behind it.",
                })
                .WithDescription("The key in the JSON body {\"key\": \"…\", \"direction\": \"Outgoing\"} or, without a body, in the query (key, direction). Answers the key as it was blocked.")
                .Produces<BlockedKeyView>()
                .ProducesProblem(StatusCodes.Status400BadRequest)
                .ProducesProblem(StatusCodes.Status404NotFound);
        }
    }

    public async Task<IResult> ListAsync(string name, HttpContext context)
    {
        var values = ManagementValues.FromQuery(context.Request.Query);
        var query = new BlockedKeyQuery
        {
            Connector = name,
            Direction = values.Enum<TaskDirection>("direction"),
            After = context.Request.Query.TryGetValue("after", out var after) && after.Count > 0 ? after.ToString() : null,
            AfterDirection = values.Enum<TaskDirection>("afterDirection") ?? TaskDirection.Incoming,
            Limit = values.Limit(),
        };
        if (values.Error is { } error)
        {
            return ManagementProblems.BadRequest(error);
        }

        try
        {
            var page = await blockedKeys.ListAsync(query, context.RequestAborted).ConfigureAwait(false);
            return TypedResults.Json(new BlockedKeyListResponse([.. page.Items.Select(BlockedKeyView.From)], page.Next, page.NextDirection), ManagementJson.Options);
        }
        catch (ArgumentException exception) when (exception.ParamName == "connectorName")
        {
            return ManagementProblems.UnknownConnector(name);
        }
    }

    public async Task<IResult> ActAsync(string name, string action, HttpContext context)
    {
        BlockedKeyActionRequest request;
        if (context.Request.ContentLength is null or 0 && context.Request.ContentType is null)
        {
            request = new BlockedKeyActionRequest { Key = context.Request.Query["key"].FirstOrDefault(), Direction = context.Request.Query["direction"].FirstOrDefault() };
        }
        else
        {
            var (body, problem) = await ManagementEndpoints.ReadBodyAsync<BlockedKeyActionRequest>(context).ConfigureAwait(false);
            if (body is null)
            {
                return problem!;
            }

            request = body;
        }

        var values = new ManagementValues(n => n == "direction" ? request.Direction : null, "value");
        var direction = values.Enum<TaskDirection>("direction") ?? TaskDirection.Outgoing;
        if (values.Error is { } error)
        {
            return ManagementProblems.BadRequest(error);
        }

        if (string.IsNullOrEmpty(request.Key))
        {
            return ManagementProblems.BadRequest("Say which key: {\"key\": \"…\"} in a JSON body, or ?key=… in the query.", "Key missing");
        }

        try
        {
            var actor = ManagementEndpoints.Actor(context.User);
            var key = action switch
            {
                "retry" => await blockedKeys.RetryHeadAsync(name, request.Key, direction, actor, context.RequestAborted).ConfigureAwait(false),
                "skip" => await blockedKeys.SkipHeadAsync(name, request.Key, direction, actor, context.RequestAborted).ConfigureAwait(false),
                _ => await blockedKeys.ReleaseAsync(name, request.Key, direction, actor, context.RequestAborted).ConfigureAwait(false),
            };
            return TypedResults.Json(BlockedKeyView.From(key), ManagementJson.Options);
        }
        catch (ArgumentException exception) when (exception.ParamName == "connectorName")
        {
            return ManagementProblems.UnknownConnector(name);
        }
        catch (KeyNotBlockedException exception)
        {
            return ManagementProblems.Problem(StatusCodes.Status404NotFound, ProblemTypes.KeyNotBlocked, "Key not blocked", exception.Message);
        }
    }
}
