using System.Globalization;
using IntegrationBus.AspNetCore.Incoming;
using IntegrationBus.Management;
using IntegrationBus.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace IntegrationBus.AspNetCore.Management;

/// <summary>The resync endpoints of the management API: start, list, get and cancel (over <see cref="ResyncManagement"/>).</summary>
internal sealed class ResyncEndpoints(ResyncManagement resyncs)
{
    public static void Map(RouteGroupBuilder read, RouteGroupBuilder operate, IntegrationBusManagement management)
    {
        var handler = new ResyncEndpoints(management.Resyncs);
        read.MapGet("/resyncs", (Delegate)handler.ListAsync)
            .WithName("IntegrationBusManagementListResyncs")
            .WithSummary("Lists resync jobs, newest first.")
            .WithDescription("Query: before (the previous page's last ID), limit (1 to 1000, default 50).")
            .Produces<IReadOnlyList<ResyncJob>>()
            .ProducesProblem(StatusCodes.Status400BadRequest);
        read.MapGet("/resyncs/{id:long}", (long id, HttpContext context) => handler.GetAsync(id, context))
            .WithName("IntegrationBusManagementGetResync")
            .WithSummary("Reads one resync job: state, cursor, tasks queued so far.")
            .Produces<ResyncJob>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        operate.MapPost("/resyncs", (Delegate)handler.StartAsync)
            .WithName("IntegrationBusManagementStartResync")
            .WithSummary("Starts a resync of a connector: an update task for every existing matching object, queued in the background.")
            .Accepts<ResyncRequest>("application/json")
            .Produces<ResyncJob>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status400BadRequest);
        operate.MapPost("/resyncs/{id:long}/cancel", (long id, HttpContext context) => handler.CancelAsync(id, context))
            .WithName("IntegrationBusManagementCancelResync")
            .WithSummary("Cancels a running resync; the batches done so far stay queued.")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    public async Task<IResult> ListAsync(HttpContext context)
    {
        var values = ManagementValues.FromQuery(context.Request.Query);
        var before = values.Long("before");
        var limit = values.Limit();
        if (values.Error is { } error)
        {
            return ManagementProblems.BadRequest(error);
        }

        return TypedResults.Json(await resyncs.ListAsync(before, limit, context.RequestAborted).ConfigureAwait(false), ManagementJson.Options);
    }

    public async Task<IResult> GetAsync(long id, HttpContext context) =>
        await resyncs.GetAsync(id, context.RequestAborted).ConfigureAwait(false) is { } job
            ? TypedResults.Json(job, ManagementJson.Options)
            : Unknown(id);

    public async Task<IResult> StartAsync(HttpContext context)
    {
        var (request, problem) = await ManagementEndpoints.ReadBodyAsync<ResyncRequest>(context).ConfigureAwait(false);
        if (request is null)
        {
            return problem!;
        }

        if (string.IsNullOrWhiteSpace(request.Connector))
        {
            return ManagementProblems.BadRequest("The body needs \"connector\": the connector to resync.");
        }

        try
        {
            var job = await resyncs.StartAsync(request.Connector, request.TypeFilter, request.Since, ManagementEndpoints.Actor(context.User), context.RequestAborted).ConfigureAwait(false);
            return TypedResults.Json(job, ManagementJson.Options, statusCode: StatusCodes.Status202Accepted);
        }
        catch (Exception exception) when (exception is ArgumentException or InvalidOperationException or NotSupportedException)
        {
            return ManagementProblems.BadRequest(exception.Message, "Resync refused");
        }
    }

    public async Task<IResult> CancelAsync(long id, HttpContext context) =>
        await resyncs.CancelAsync(id, ManagementEndpoints.Actor(context.User), context.RequestAborted).ConfigureAwait(false)
            ? TypedResults.NoContent()
            : Unknown(id);

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult Unknown(long id) =>
        ManagementProblems.Problem(StatusCodes.Status404NotFound, ProblemTypes.UnknownResync, "Unknown resync",
            string.Create(CultureInfo.InvariantCulture, $"There is no running resync {id} (cancel), or no resync {id} at all (get)."));
}
