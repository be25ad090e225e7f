using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using IntegrationBus.AspNetCore.Incoming;
using IntegrationBus.Management;
using IntegrationBus.Storage;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace IntegrationBus.AspNetCore.Management;

/// <summary>
/// The handlers of the management API: each reads and checks the request, calls <see cref="IntegrationBusManagement"/>
/// (which writes the audit entries) and answers with JSON or an RFC 7807 problem.
/// </summary>
internal sealed class ManagementEndpoints(IntegrationBusManagement management, string? operatePolicy)
{
    /// <summary>The audit actor: the caller's name, or "anonymous".</summary>
    public static string Actor(ClaimsPrincipal user) => user.Identity?.Name is { Length: > 0 } name ? name : "anonymous";

    public async Task<IResult> GetQueuesAsync(HttpContext context) =>
        Json(await management.GetQueuesAsync(context.RequestAborted).ConfigureAwait(false));

    public async Task<IResult> ListTasksAsync(HttpContext context)
    {
        var values = ManagementValues.FromQuery(context.Request.Query);
        var query = values.Filter() with { After = values.Cursor("after"), Limit = values.Limit() };
        if (values.Error is { } error)
        {
            return ManagementProblems.BadRequest(error);
        }

        var page = await management.ListTasksAsync(query, context.RequestAborted).ConfigureAwait(false);
        return Json(new TaskListResponse(page.Items, page.Next?.ToCursor()));
    }

    public async Task<IResult> CountTasksAsync(HttpContext context)
    {
        var values = ManagementValues.FromQuery(context.Request.Query);
        var query = values.Filter();
        if (values.Error is { } error)
        {
            return ManagementProblems.BadRequest(error);
        }

        return Json(new CountResponse(await management.CountTasksAsync(query, context.RequestAborted).ConfigureAwait(false)));
    }

    public async Task<IResult> GetTaskAsync(string id, HttpContext context)
    {
        if (!TryParseId(id, out var taskId, out var problem))
        {
            return problem;
        }

        return await management.GetTaskAsync(taskId, context.RequestAborted).ConfigureAwait(false) is { } inspection
            ? Json(TaskInspectionResponse.From(inspection))
            : ManagementProblems.UnknownTask(string.Create(CultureInfo.InvariantCulture, $"No task has the ID {taskId} (any more)."));
    }

    public Task<IResult> RetryTaskAsync(string id, HttpContext context) =>
        ActOnTaskAsync(id, context, "retry", management.RetryTaskAsync);

    public Task<IResult> DeleteTaskAsync(string id, HttpContext context) =>
        ActOnTaskAsync(id, context, "delete", management.DeleteTaskAsync);

    public Task<IResult> RetryTasksAsync(HttpContext context) => BulkAsync(context, management.RetryTasksAsync);

    public Task<IResult> DeleteTasksAsync(HttpContext context) => BulkAsync(context, management.DeleteTasksAsync);

    public async Task<IResult> GetConnectorsAsync(HttpContext context) =>
        Json(await management.GetConnectorsAsync(context.RequestAborted).ConfigureAwait(false));

    public async Task<IResult> SetConnectorEnabledAsync(string name, bool enabled, HttpContext context)
    {
        try
        {
            await management.SetConnectorEnabledAsync(name, enabled, Actor(context.User), context.RequestAborted).ConfigureAwait(false);
        }
        catch (ArgumentException exception) when (exception.ParamName == "connectorName")
        {
            return ManagementProblems.UnknownConnector(name);
        }

        return TypedResults.NoContent();
    }

    public async Task<IResult> GetSettingsAsync(HttpContext context) =>
        Json(await management.GetSettingsAsync(context.RequestAborted).ConfigureAwait(false));

    public async Task<IResult> PutSettingsAsync(HttpContext context)
    {
        var (settings, problem) = await ReadBodyAsync<BusSettings>(context).ConfigureAwait(false);
        if (settings is null)
        {
            return problem!;
        }

        try
        {
            await management.UpdateSettingsAsync(settings, Actor(context.User), context.RequestAborted).ConfigureAwait(false);
        }
        catch (ArgumentOutOfRangeException exception)
        {
            return ManagementProblems.BadRequest(FirstLine(exception.Message), "Invalid settings");
        }

        return Json(await management.GetSettingsAsync(context.RequestAborted).ConfigureAwait(false));
    }

    public async Task<IResult> RequestProcessingAsync(HttpContext context)
    {
        var values = ManagementValues.FromQuery(context.Request.Query);
        var connector = values.Text("connector");
        var direction = values.Enum<TaskDirection>("direction");
        if (values.Error is { } error)
        {
            return ManagementProblems.BadRequest(error);
        }

        try
        {
            await management.RequestProcessingAsync(connector, direction, Actor(context.User), context.RequestAborted).ConfigureAwait(false);
        }
        catch (ArgumentException exception) when (exception.ParamName == "connectorName")
        {
            return ManagementProblems.UnknownConnector(connector!);
        }

        return TypedResults.Accepted((string?)null);
    }

    public async Task<IResult> PurgeAsync(HttpContext context) =>
        Json(await management.PurgeAsync(Actor(context.User), context.RequestAborted).ConfigureAwait(false));

    public async Task<IResult> ListAuditAsync(HttpContext context)
    {
        var values = ManagementValues.FromQuery(context.Request.Query);
        var query = new AuditQuery { BeforeId = values.Long("beforeId"), Limit = values.Limit() };
        return values.Error is { } error
            ? ManagementProblems.BadRequest(error)
            : Json(await management.ListAuditAsync(query, context.RequestAborted).ConfigureAwait(false));
    }

    public async Task<IResult> ListHistoryAsync(HttpContext context)
    {
        var values = ManagementValues.FromQuery(context.Request.Query);
        var query = new HistoryQuery
        {
            Connector = values.Text("connector"),
            Direction = values.Enum<TaskDirection>("direction"),
            ObjectType = values.Text("objectType"),
            BeforeId = values.Long("beforeId"),
            Limit = values.Limit(),
        };
        return values.Error is { } error
            ? ManagementProblems.BadRequest(error)
            : Json(await management.ListHistoryAsync(query, context.RequestAborted).ConfigureAwait(false));
    }

    public async Task<IResult> GetMeAsync(HttpContext context, IAuthorizationService authorization, IAntiforgery antiforgery)
    {
        var canOperate = operatePolicy is null || (await authorization.AuthorizeAsync(context.User, operatePolicy).ConfigureAwait(false)).Succeeded;
        var tokens = antiforgery.GetAndStoreTokens(context);
        return Json(new MeResponse(context.User.Identity?.Name, canOperate, tokens.RequestToken!, IntegrationBusManagementEndpointOptions.AntiforgeryHeaderName));
    }

    /// <summary>Answers a request with a body that is not JSON (routing sends it here).</summary>
    public static IResult RefuseMediaType(HttpContext context) =>
        ManagementProblems.Problem(StatusCodes.Status415UnsupportedMediaType, ProblemTypes.UnsupportedMediaType, "Unsupported media type",
            IncomingEndpoints.MediaTypeProblem(context.Request.ContentType) ?? "Send the body as application/json (UTF-8).");

    private static JsonHttpResult<T> Json<T>(T value) => TypedResults.Json(value, ManagementJson.Options);

    private static string FirstLine(string message) => message.Split('\n', 2)[0].TrimEnd('\r');

    private static bool TryParseId(string id, out long taskId, out IResult problem)
    {
        problem = Results.Empty;
        if (long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out taskId) && taskId > 0)
        {
            return true;
        }

        problem = ManagementProblems.BadRequest($"The route value 'id' has the value '{id}', which is not valid: use a task ID (a positive whole number).");
        return false;
    }

    private static async Task<IResult> ActOnTaskAsync(string id, HttpContext context, string verb, Func<long, string?, string?, CancellationToken, Task<int>> act)
    {
        if (!TryParseId(id, out var taskId, out var problem))
        {
            return problem;
        }

        var connector = ManagementValues.FromQuery(context.Request.Query).Text("connector");
        var count = await act(taskId, connector, Actor(context.User), context.RequestAborted).ConfigureAwait(false);
        return count == 0
            ? ManagementProblems.UnknownTask(string.Create(CultureInfo.InvariantCulture,
                $"Task {taskId} has nothing to {verb}{(connector is null ? string.Empty : $" for connector '{connector}'")}: it does not exist (any more){(verb == "retry" ? ", or it is pending already" : string.Empty)}."))
            : Json(new CountResponse(count));
    }

    private async Task<IResult> BulkAsync(HttpContext context, Func<TaskQuery, string?, CancellationToken, Task<BulkActionResult>> act)
    {
        var (request, problem) = await ReadBodyAsync<BulkTaskRequest>(context).ConfigureAwait(false);
        if (request is null)
        {
            return problem!;
        }

        var values = new ManagementValues(request.Get, "body property");
        var filter = values.Filter();
        if (values.Error is { } error)
        {
            return ManagementProblems.BadRequest(error);
        }

        if (!request.All && filter == new TaskQuery())
        {
            return ManagementProblems.BadRequest(
                "The filter has no criterion, so it would act on every task of every connector; set at least one criterion, or \"all\": true to mean every task.",
                "Filter without a criterion");
        }

        if (request.DryRun)
        {
            return Json(new BulkActionResponse(await management.CountTasksAsync(filter, context.RequestAborted).ConfigureAwait(false), null, true));
        }

        var result = await act(filter, Actor(context.User), context.RequestAborted).ConfigureAwait(false);
        return Json(new BulkActionResponse(result.Count, result.Batches, false));
    }

    internal static async Task<(T? Value, IResult? Problem)> ReadBodyAsync<T>(HttpContext context)
        where T : class
    {
        if (IncomingEndpoints.MediaTypeProblem(context.Request.ContentType) is { } mediaTypeProblem)
        {
            return (null, ManagementProblems.Problem(StatusCodes.Status415UnsupportedMediaType, ProblemTypes.UnsupportedMediaType, "Unsupported media type", mediaTypeProblem));
        }

        try
        {
            var value = await JsonSerializer.DeserializeAsync<T>(context.Request.Body, ManagementJson.Options, context.RequestAborted).ConfigureAwait(false);
            return value is null
                ? (null, ManagementProblems.BadRequest("The body is JSON null; send a JSON object.", "Invalid body"))
                : (value, null);
        }
        catch (JsonException exception)
        {
            return (null, ManagementProblems.BadRequest($"The body is not valid: {exception.Message}", "Invalid body"));
        }
    }
}
