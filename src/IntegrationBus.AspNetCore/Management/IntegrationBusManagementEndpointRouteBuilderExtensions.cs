using IntegrationBus.AspNetCore.Dashboard;
using IntegrationBus.AspNetCore.Management;
using IntegrationBus.Management;
using IntegrationBus.Storage;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationBus.AspNetCore;

/// <summary>Maps the IntegrationBus management API.</summary>
public static class IntegrationBusManagementEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps the JSON management API under <c>{prefix}/api/</c>: queues, task lists, counts and details, retry and delete
    /// (one task or by filter), connectors, settings, processing requests, retention, the audit log, the history and
    /// <c>api/me</c>. Every error is an RFC 7807 problem. Also maps the dashboard, a page at <c>{prefix}/</c> (with its
    /// files at <c>{prefix}/assets/</c>) that shows and does the same through the API.
    /// </summary>
    /// <remarks>
    /// Secure by default: read endpoints require <see cref="IntegrationBusManagementEndpointOptions.ReadPolicy"/>,
    /// state-changing ones (POST, PUT, DELETE) the read and the <see cref="IntegrationBusManagementEndpointOptions.OperatePolicy"/>
    /// and, without an <c>Authorization</c> header, the antiforgery token of <c>GET {prefix}/api/me</c> in the
    /// <see cref="IntegrationBusManagementEndpointOptions.AntiforgeryHeaderName"/> header. Every state change is audited
    /// with the caller's name. The dashboard requires the read policy; its action buttons show only to callers who pass
    /// the operate policy. It is embedded in this package (no CDN, nothing fetched at run time).
    /// Requires <see cref="IntegrationBusManagementServiceCollectionExtensions.AddIntegrationBusManagementApi"/>.
    /// </remarks>
    /// <param name="endpoints">The endpoint route builder (usually the <c>WebApplication</c>).</param>
    /// <param name="prefix">The route prefix.</param>
    /// <param name="configure">Sets the policies (required unless anonymous access is allowed explicitly).</param>
    /// <returns>The route group under <paramref name="prefix"/>.</returns>
    /// <exception cref="InvalidOperationException">
    /// A policy is missing and <see cref="IntegrationBusManagementEndpointOptions.AllowAnonymous"/> is not set, or
    /// <c>AddIntegrationBus</c> or <c>AddIntegrationBusManagementApi</c> was not called.
    /// </exception>
    public static RouteGroupBuilder MapIntegrationBusManagement(this IEndpointRouteBuilder endpoints, string prefix = "/integration/admin", Action<IntegrationBusManagementEndpointOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(prefix);
        var options = new IntegrationBusManagementEndpointOptions();
        configure?.Invoke(options);
        Check(endpoints.ServiceProvider, options);

        var handler = new ManagementEndpoints(endpoints.ServiceProvider.GetRequiredService<IntegrationBusManagement>(), options.OperatePolicy);
        var group = endpoints.MapGroup(prefix);
        var api = group.MapGroup("/api").WithTags("IntegrationBus management").WithMetadata(ManagementEndpointMetadata.Instance);
        api.AddEndpointFilter<ManagementErrorFilter>();
        var read = Authorize(api.MapGroup(string.Empty), options.ReadPolicy);
        var operate = Authorize(api.MapGroup(string.Empty), options.ReadPolicy, options.OperatePolicy);
        operate.AddEndpointFilter<ManagementAntiforgeryFilter>();
        MapReads(read, handler);
        MapTaskActions(operate, handler);
        MapOperations(operate, handler);
        IdMapEndpoints.Map(read, operate, endpoints.ServiceProvider.GetRequiredService<IntegrationBusManagement>());
        BlockedKeysEndpoints.Map(read, operate, endpoints.ServiceProvider.GetRequiredService<IntegrationBusManagement>());
        ResyncEndpoints.Map(read, operate, endpoints.ServiceProvider.GetRequiredService<IntegrationBusManagement>());

        // The dashboard ({prefix}/ and {prefix}/assets/…) is a page for the same readers; its script calls the API above.
        DashboardEndpoints.MapDashboard(Authorize(group.MapGroup(string.Empty), options.ReadPolicy));

        // Routing refuses a body that is not JSON with an empty 415 (the Accepts metadata); these endpoints, later in
        // order and without that metadata, take those requests instead and answer with a problem like every other error.
        foreach (var (method, pattern) in new[] { ("POST", "/tasks/retry"), ("POST", "/tasks/delete"), ("PUT", "/settings") })
        {
            operate.MapMethods(pattern, [method], ManagementEndpoints.RefuseMediaType).WithOrder(1).ExcludeFromDescription();
        }

        return group;
    }

    private static void Check(IServiceProvider services, IntegrationBusManagementEndpointOptions options)
    {
        if (!options.AllowAnonymous && (string.IsNullOrWhiteSpace(options.ReadPolicy) || string.IsNullOrWhiteSpace(options.OperatePolicy)))
        {
            throw new InvalidOperationException(
                "MapIntegrationBusManagement is secure by default: set both ReadPolicy (who may see) and OperatePolicy (who may change), " +
                "for example o => { o.ReadPolicy = \"bus-read\"; o.OperatePolicy = \"bus-operate\"; }, or set AllowAnonymous = true to let " +
                "anyone reach the endpoints whose policy is not set.");
        }

        if (services.GetService<IntegrationBusManagement>() is null)
        {
            throw new InvalidOperationException("MapIntegrationBusManagement needs the bus; call builder.Services.AddIntegrationBus(...).");
        }

        if (services.GetService<IAntiforgery>() is null)
        {
            throw new InvalidOperationException("MapIntegrationBusManagement needs its services; call builder.Services.AddIntegrationBusManagementApi().");
        }
    }

    private static RouteGroupBuilder Authorize(RouteGroupBuilder group, params string?[] policies)
    {
        var names = policies.Where(p => !string.IsNullOrWhiteSpace(p)).Distinct(StringComparer.Ordinal).ToArray();
        return names.Length == 0 ? group : group.RequireAuthorization(names!);
    }

    /// <summary>Makes a method group a route handler (whose answer is written), not a <see cref="RequestDelegate"/> (whose answer would be dropped).</summary>
    private static Delegate Handler(Func<HttpContext, Task<IResult>> handler) => handler;

    private static void MapReads(RouteGroupBuilder read, ManagementEndpoints handler)
    {
        read.MapGet("/queues", Handler(handler.GetQueuesAsync))
            .WithName("IntegrationBusManagementGetQueues")
            .WithSummary("Lists every queue (connector and direction) with its depth, errors, lag and lease.")
            .Produces<IReadOnlyList<QueueOverview>>();
        read.MapGet("/tasks", Handler(handler.ListTasksAsync))
            .WithName("IntegrationBusManagementListTasks")
            .WithSummary("Lists tasks (one row per task and connector) that match a filter, one page at a time.")
            .WithDescription("Query: connector, direction, status, objectType, taskType, text, createdFrom, createdBefore (ISO 8601), after (the previous page's next), limit (1 to 1000, default 50).")
            .Produces<TaskListResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest);
        read.MapGet("/tasks/count", Handler(handler.CountTasksAsync))
            .WithName("IntegrationBusManagementCountTasks")
            .WithSummary("Counts the tasks that match a filter (the list's query without paging).")
            .Produces<CountResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest);
        read.MapGet("/tasks/{id}", (string id, HttpContext context) => handler.GetTaskAsync(id, context))
            .WithName("IntegrationBusManagementGetTask")
            .WithSummary("Reads one task: its payload, the object read from it, every connector's state and the attempt log.")
            .Produces<TaskInspectionResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        read.MapGet("/connectors", Handler(handler.GetConnectorsAsync))
            .WithName("IntegrationBusManagementGetConnectors")
            .WithSummary("Lists the connectors the store knows, with their enabled switch.")
            .Produces<IReadOnlyList<ConnectorState>>();
        read.MapGet("/settings", Handler(handler.GetSettingsAsync))
            .WithName("IntegrationBusManagementGetSettings")
            .WithSummary("Reads the bus's run-time settings.")
            .Produces<BusSettings>();
        read.MapGet("/audit", Handler(handler.ListAuditAsync))
            .WithName("IntegrationBusManagementListAudit")
            .WithSummary("Reads the audit log of operator actions, newest first.")
            .WithDescription("Query: beforeId (an entry ID, for the next page), limit (1 to 1000, default 50).")
            .Produces<IReadOnlyList<AuditEntry>>()
            .ProducesProblem(StatusCodes.Status400BadRequest);
        read.MapGet("/history", Handler(handler.ListHistoryAsync))
            .WithName("IntegrationBusManagementListHistory")
            .WithSummary("Reads the history of delivered tasks, newest first (kept while the history setting is on).")
            .WithDescription("Query: connector, direction, objectType, beforeId, limit (1 to 1000, default 50).")
            .Produces<IReadOnlyList<DeliveredTask>>()
            .ProducesProblem(StatusCodes.Status400BadRequest);
        read.MapGet("/me", (HttpContext context, IAuthorizationService authorization, IAntiforgery antiforgery) => handler.GetMeAsync(context, authorization, antiforgery))
            .WithName("IntegrationBusManagementGetMe")
            .WithSummary("Says who the caller is and whether they may operate, and hands out a fresh antiforgery token (and sets its cookie).")
            .Produces<MeResponse>();
    }

    private static void MapTaskActions(RouteGroupBuilder operate, ManagementEndpoints handler)
    {
        operate.MapPost("/tasks/{id}/retry", (string id, HttpContext context) => handler.RetryTaskAsync(id, context))
            .WithName("IntegrationBusManagementRetryTask")
            .WithSummary("Makes an errored, skipped or failed task pending again (query connector: only that connector's).")
            .Produces<CountResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        operate.MapDelete("/tasks/{id}", (string id, HttpContext context) => handler.DeleteTaskAsync(id, context))
            .WithName("IntegrationBusManagementDeleteTask")
            .WithSummary("Deletes a task for every connector (query connector: only for that one).")
            .Produces<CountResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        operate.MapPost("/tasks/retry", Handler(handler.RetryTasksAsync))
            .WithName("IntegrationBusManagementRetryTasks")
            .WithSummary("Retries every task that matches a filter, or counts them with dryRun: true.")
            .WithDescription("Body: the list's filter names (strings), dryRun, and all: true to mean every task when no criterion is set.")
            .Accepts<BulkTaskRequest>("application/json")
            .Produces<BulkActionResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        operate.MapPost("/tasks/delete", Handler(handler.DeleteTasksAsync))
            .WithName("IntegrationBusManagementDeleteTasks")
            .WithSummary("Deletes every task that matches a filter, or counts them with dryRun: true.")
            .WithDescription("Body: the list's filter names (strings), dryRun, and all: true to mean every task when no criterion is set.")
            .Accepts<BulkTaskRequest>("application/json")
            .Produces<BulkActionResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
    }

    private static void MapOperations(RouteGroupBuilder operate, ManagementEndpoints handler)
    {
        operate.MapPost("/connectors/{name}/enable", (string name, HttpContext context) => handler.SetConnectorEnabledAsync(name, true, context))
            .WithName("IntegrationBusManagementEnableConnector")
            .WithSummary("Enables a connector on every node.")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status404NotFound);
        operate.MapPost("/connectors/{name}/disable", (string name, HttpContext context) => handler.SetConnectorEnabledAsync(name, false, context))
            .WithName("IntegrationBusManagementDisableConnector")
            .WithSummary("Disables a connector on every node: it gets no new tasks and its queues wait.")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status404NotFound);
        operate.MapPut("/settings", Handler(handler.PutSettingsAsync))
            .WithName("IntegrationBusManagementUpdateSettings")
            .WithSummary("Stores new settings; they apply at once on every node. Answers with the stored settings.")
            .Accepts<BusSettings>("application/json")
            .Produces<BusSettings>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        operate.MapPost("/processing", Handler(handler.RequestProcessingAsync))
            .WithName("IntegrationBusManagementRequestProcessing")
            .WithSummary("Wakes the runners of one connector (query connector) or all, in one direction (query direction) or both.")
            .Produces(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        operate.MapPost("/retention/purge", Handler(handler.PurgeAsync))
            .WithName("IntegrationBusManagementPurge")
            .WithSummary("Applies retention now: deletes what the retention settings no longer keep.")
            .Produces<PurgeResult>();
    }
}
