using System.Globalization;
using IntegrationBus.AspNetCore.Incoming;
using IntegrationBus.Management;
using IntegrationBus.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace IntegrationBus.AspNetCore.Management;

/// <summary>The ID-map endpoints of the management API: list a connector's entries, delete one (over <see cref="IdMapManagement"/>).</summary>
internal sealed class IdMapEndpoints(IdMapManagement idMap)
{
    public static void Map(RouteGroupBuilder read, RouteGroupBuilder operate, IntegrationBusManagement management)
    {
        var handler = new IdMapEndpoints(management.IdMap);
        read.MapGet("/connectors/{name}/id-map", (string name, HttpContext context) => handler.ListAsync(name, context))
            .WithName("IntegrationBusManagementListIdMap")
            .WithSummary("Lists a connector's ID-map entries (internal object ↔ external ID), oldest first.")
            .WithDescription("Query: objectType, guid, externalId (exact), after (the previous page's next), limit (1 to 1000, default 50).")
            .Produces<IdMapListResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest);
        operate.MapDelete("/connectors/{name}/id-map/{objectType}/{guid}", (string name, string objectType, string guid, HttpContext context) => handler.DeleteAsync(name, objectType, guid, context))
            .WithName("IntegrationBusManagementDeleteIdMapEntry")
            .WithSummary("Deletes a connector's ID-map entry of one object: its next task carries no external ID.")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    public async Task<IResult> ListAsync(string name, HttpContext context)
    {
        var values = ManagementValues.FromQuery(context.Request.Query);
        var query = new IdMapQuery
        {
            Connector = name,
            ObjectType = values.Text("objectType"),
            ObjectGuid = values.Guid("guid"),
            ExternalId = values.Text("externalId"),
            After = values.Long("after"),
            Limit = values.Limit(),
        };
        if (values.Error is { } error)
        {
            return ManagementProblems.BadRequest(error);
        }

        var page = await idMap.ListAsync(query, context.RequestAborted).ConfigureAwait(false);
        return TypedResults.Json(
            new IdMapListResponse([.. page.Items.Select(IdMapEntryView.From)], page.Next?.ToString(CultureInfo.InvariantCulture)), ManagementJson.Options);
    }

    public async Task<IResult> DeleteAsync(string name, string objectType, string guid, HttpContext context)
    {
        if (!Guid.TryParse(guid, out var objectGuid))
        {
            return ManagementProblems.BadRequest($"The object GUID '{guid}' is not a GUID.");
        }

        return await idMap.DeleteAsync(name, objectType, objectGuid, ManagementEndpoints.Actor(context.User), context.RequestAborted).ConfigureAwait(false)
            ? TypedResults.NoContent()
            : ManagementProblems.Problem(StatusCodes.Status404NotFound, ProblemTypes.UnknownIdMapEntry, "Unknown ID-map entry",
                $"Connector '{name}' has no ID-map entry for {objectType} {objectGuid:D}.");
    }
}
