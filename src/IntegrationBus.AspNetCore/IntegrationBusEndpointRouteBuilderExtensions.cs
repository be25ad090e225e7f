using IntegrationBus.AspNetCore.Incoming;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationBus.AspNetCore;

/// <summary>Maps the IntegrationBus HTTP endpoints.</summary>
public static class IntegrationBusEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps <c>POST {prefix}/connectors/{connector}/incoming</c> (queue a change from an external system) and
    /// <c>POST {prefix}/connectors/{connector}/process</c> (wake a connector's runners).
    /// </summary>
    /// <remarks>
    /// Both endpoints authenticate per connector with <see cref="IntegrationBusHttpOptions"/>; chain
    /// <c>.RequireAuthorization(...)</c> on the returned group to add the host's own policy on top.
    /// Requires <see cref="IntegrationBusHttpServiceCollectionExtensions.AddIntegrationBusHttp"/>.
    /// </remarks>
    /// <param name="endpoints">The endpoint route builder (usually the <c>WebApplication</c>).</param>
    /// <param name="prefix">The route prefix, for example <c>/integration</c>.</param>
    /// <returns>The route group of the endpoints.</returns>
    /// <exception cref="InvalidOperationException"><c>AddIntegrationBusHttp</c> was not called.</exception>
    public static RouteGroupBuilder MapIntegrationBus(this IEndpointRouteBuilder endpoints, string prefix = "/integration")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(prefix);
        if (endpoints.ServiceProvider.GetService<IncomingEndpoints>() is null)
        {
            throw new InvalidOperationException(
                "MapIntegrationBus needs the IntegrationBus HTTP services; call builder.Services.AddIntegrationBusHttp(...) next to AddIntegrationBus(...).");
        }

        var group = endpoints.MapGroup(prefix).WithTags("IntegrationBus");
        group.MapPost("/connectors/{connector}/incoming", (string connector, HttpContext context, IncomingEndpoints handler) => handler.PostIncomingAsync(connector, context))
            .WithName("IntegrationBusPostIncomingTask")
            .WithSummary("Queues a change from an external system as an incoming task.")
            .WithDescription(
                "Body: { taskType, dataType = Simple, site = none, policy = Default, object }; enums are strings, any case. " +
                "An Idempotency-Key header (at most 200 characters) makes a repeat answer 200 with the first task and queue nothing. " +
                "Authenticate with X-Api-Key and, where the connector has an HMAC secret, X-IntegrationBus-Timestamp and X-IntegrationBus-Signature.")
            .Accepts<IncomingTaskRequest>("application/json")
            .Produces<IncomingTaskResponse>(StatusCodes.Status202Accepted)
            .Produces<IncomingTaskResponse>(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        // Routing refuses a body that is not JSON with an empty 415 (the Accepts metadata above); this endpoint, later in
        // order and without that metadata, takes those requests instead and answers with a problem like every other error.
        group.MapPost("/connectors/{connector}/incoming", (string connector, HttpContext context, IncomingEndpoints handler) => handler.RefuseMediaType(connector, context))
            .WithOrder(1)
            .ExcludeFromDescription();
        group.MapPost("/connectors/{connector}/process", (string connector, HttpContext context, IncomingEndpoints handler) => handler.PostProcessAsync(connector, context))
            .WithName("IntegrationBusRequestProcessing")
            .WithSummary("Wakes a connector's runners to process its queues now.")
            .WithDescription("Optional query direction=Outgoing|Incoming; both when omitted. Same authentication as the incoming endpoint.")
            .Produces(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        return group;
    }
}
