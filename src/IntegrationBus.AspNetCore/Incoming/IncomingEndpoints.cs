using System.Data.Common;
using System.Globalization;
using IntegrationBus.AspNetCore.Diagnostics;
using IntegrationBus.Webhooks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace IntegrationBus.AspNetCore.Incoming;

/// <summary>The handlers of the incoming-task and processing-request endpoints; every refusal is an RFC 7807 problem and queues nothing.</summary>
internal sealed class IncomingEndpoints(
    IntegrationBusService bus,
    RequestAuthenticator authenticator,
    ReplayCache replays,
    IOptions<IntegrationBusHttpOptions> options,
    ILogger<IncomingEndpoints> logger)
{
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    /// <summary>Handles <c>POST {prefix}/connectors/{connector}/incoming</c>.</summary>
    public Task<IResult> PostIncomingAsync(string connector, HttpContext context) =>
        GuardRequestAsync(connector, context, static (self, connector, context) => self.AcceptIncomingAsync(connector, context));

    /// <summary>Handles <c>POST {prefix}/connectors/{connector}/process</c>.</summary>
    public Task<IResult> PostProcessAsync(string connector, HttpContext context) =>
        GuardRequestAsync(connector, context, static (self, connector, context) => self.RequestProcessingAsync(connector, context));

    /// <summary>Answers a request to the incoming endpoint whose content type is not JSON (routing sends it here).</summary>
    public IResult RefuseMediaType(string connector, HttpContext context) =>
        Refuse(connector, StatusCodes.Status415UnsupportedMediaType, ProblemTypes.UnsupportedMediaType, "Unsupported media type",
            MediaTypeProblem(context.Request.ContentType) ?? "Send the body as application/json (UTF-8).");

    /// <summary>
    /// The request-level error boundary: whatever fails while reading, parsing or answering becomes a problem (or, when the
    /// client is gone, a quiet log line), never an unhandled exception.
    /// </summary>
    private async Task<IResult> GuardRequestAsync(string connector, HttpContext context, Func<IncomingEndpoints, string, HttpContext, Task<IResult>> handle)
    {
        try
        {
            return await handle(this, connector, context).ConfigureAwait(false);
        }
        catch (Exception exception) when (context.RequestAborted.IsCancellationRequested && exception is OperationCanceledException or IOException)
        {
            // The client went away: nobody reads an answer, and it is not the bus's failure.
            Log.ClientAborted(logger, connector);
            return Results.Empty;
        }
        catch (Exception exception)
        {
            Log.RequestFailed(logger, connector, exception);
            return Problem(StatusCodes.Status500InternalServerError, ProblemTypes.InternalError, "Request failed",
                $"The request failed unexpectedly; the server log has the details under trace identifier {context.TraceIdentifier}.");
        }
    }

    private async Task<IResult> AcceptIncomingAsync(string connector, HttpContext context)
    {
        if (MediaTypeProblem(context.Request.ContentType) is { } mediaTypeProblem)
        {
            return Refuse(connector, StatusCodes.Status415UnsupportedMediaType, ProblemTypes.UnsupportedMediaType, "Unsupported media type", mediaTypeProblem);
        }

        var (body, refused) = await AdmitAsync(connector, context).ConfigureAwait(false);
        if (refused is not null)
        {
            return refused;
        }

        var request = IncomingTaskRequestParser.Parse(body.Memory, out var error);
        if (request is null)
        {
            return Refuse(connector, StatusCodes.Status400BadRequest, ProblemTypes.InvalidRequest, "Invalid incoming task", error!);
        }

        var idempotencyKey = context.Request.Headers[IdempotencyKeyHeader].ToString();
        if (idempotencyKey.Length > IntegrationBusHttpDefaults.MaxIdempotencyKeyLength)
        {
            return Refuse(connector, StatusCodes.Status400BadRequest, ProblemTypes.InvalidRequest, "Invalid idempotency key",
                $"The {IdempotencyKeyHeader} header is {idempotencyKey.Length} characters long; use at most {IntegrationBusHttpDefaults.MaxIdempotencyKeyLength}.");
        }

        // A Standard Webhooks message's ID is its idempotency key (recorded in the store); an Idempotency-Key header is then ignored.
        var change = new ExternalChange(request.ExternalObject, request.TaskType, request.DataType, request.Site, request.Policy,
            body.Webhook is null && idempotencyKey.Length > 0 ? idempotencyKey : null) { Webhook = body.Webhook };
        var result = await GuardAsync(connector, context, body.ReplayKey, () => bus.ProcessExternalChangeAsync(connector, change, context.RequestAborted)).ConfigureAwait(false);
        return result.Result ?? Answer(connector, result.Value!);
    }

    private async Task<IResult> RequestProcessingAsync(string connector, HttpContext context)
    {
        var (_, refused) = await AdmitAsync(connector, context).ConfigureAwait(false);
        if (refused is not null)
        {
            return refused;
        }

        TaskDirection? direction = null;
        var directionText = context.Request.Query["direction"].ToString();
        if (directionText.Length > 0)
        {
            var name = Enum.GetNames<TaskDirection>().FirstOrDefault(n => string.Equals(n, directionText, StringComparison.OrdinalIgnoreCase));
            if (name is null)
            {
                return Refuse(connector, StatusCodes.Status400BadRequest, ProblemTypes.InvalidRequest, "Invalid direction",
                    $"direction '{directionText}' is not a direction; use Outgoing or Incoming, or omit it for both.");
            }

            direction = Enum.Parse<TaskDirection>(name);
        }

        await bus.RequestProcessingAsync(connector, direction, context.RequestAborted).ConfigureAwait(false);
        Log.ProcessingRequested(logger, connector, direction);
        return TypedResults.Accepted((string?)null);
    }

    private async Task<(Body Body, IResult? Refused)> AdmitAsync(string connector, HttpContext context)
    {
        if (!bus.Connectors.Any(c => string.Equals(c.Name, connector, StringComparison.OrdinalIgnoreCase)))
        {
            return (default, Refuse(connector, StatusCodes.Status404NotFound, ProblemTypes.UnknownConnector, "Unknown connector",
                $"No connector is named '{connector}'; use one of the registered connectors' names."));
        }

        if (authenticator.CheckApiKey(connector, context.Request.Headers) is { } keyFailure)
        {
            return (default, Unauthorized(connector, keyFailure));
        }

        var limit = options.Value.MaxBodySize;
        var read = await BoundedBodyReader.ReadAsync(context, limit, context.RequestAborted).ConfigureAwait(false);
        if (read.Status == StatusCodes.Status413PayloadTooLarge)
        {
            return (default, Refuse(connector, StatusCodes.Status413PayloadTooLarge, ProblemTypes.BodyTooLarge, "Body too large",
                $"The body is larger than {limit} bytes (IntegrationBusHttpOptions.MaxBodySize); send one change per request or raise the limit."));
        }

        if (read.Bytes is not { } bytes)
        {
            // The client's failure (a short body, a stalled upload): worth a line in the log, not a stack trace.
            Log.BodyIncomplete(logger, connector, read.Status, read.Reason!);
            return (default, Refuse(connector, read.Status, ProblemTypes.IncompleteBody, "Incomplete body", read.Reason!));
        }

        if (authenticator.CheckSignature(connector, context.Request.Headers, bytes, out var replayKey, out var webhook) is { } signatureFailure)
        {
            return (default, Unauthorized(connector, signatureFailure));
        }

        return (new Body(bytes, replayKey, webhook), null);
    }

    private async Task<(ExternalTaskResult? Value, IResult? Result)> GuardAsync(
        string connector, HttpContext context, string? replayKey, Func<Task<ExternalTaskResult>> action)
    {
        try
        {
            return (await action().ConfigureAwait(false), null);
        }
        catch (Exception exception) when (IsTransient(exception))
        {
            // Nothing was queued: the identical signed request may be sent again.
            if (replayKey is not null)
            {
                replays.Forget(replayKey);
            }

            Log.StoreUnavailable(logger, connector, exception);
            var retryAfter = (int)Math.Ceiling(options.Value.RetryAfter.TotalSeconds);
            context.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
            return (null, Problem(StatusCodes.Status503ServiceUnavailable, ProblemTypes.StoreUnavailable, "Task store unavailable",
                $"The task store is busy or unavailable; nothing was queued. Retry after {retryAfter} seconds."));
        }
    }

    /// <summary>Says what is wrong with a content type, or returns <see langword="null"/> for JSON in UTF-8.</summary>
    internal static string? MediaTypeProblem(string? contentType)
    {
        if (string.IsNullOrEmpty(contentType))
        {
            return "The request has no Content-Type; send the body as application/json (UTF-8).";
        }

        if (!MediaTypeHeaderValue.TryParse(contentType, out var parsed) || parsed.MediaType.Value is not { } mediaType
            || !(string.Equals(mediaType, "application/json", StringComparison.OrdinalIgnoreCase) || mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase)))
        {
            return $"Content-Type '{contentType}' is not JSON; send the body as application/json (UTF-8).";
        }

        return parsed.Charset.Value is { Length: > 0 } charset && !string.Equals(charset.Trim('"'), "utf-8", StringComparison.OrdinalIgnoreCase)
            ? $"Content-Type '{contentType}' names charset '{charset}'; send the JSON as UTF-8 (charset=utf-8, or no charset)."
            : null;
    }

    private IResult Answer(string connector, ExternalTaskResult result)
    {
        var detail = result.Message ?? result.Status.ToString();
        switch (result.Status)
        {
            case ExternalTaskStatus.Queued:
            case ExternalTaskStatus.Repeated:
                var response = new IncomingTaskResponse(result.TaskId!.Value, result.TaskGuid!.Value, result.Status.ToString());
                Log.IncomingAccepted(logger, response.TaskId, connector, response.Status);
                return result.Status == ExternalTaskStatus.Queued
                    ? TypedResults.Accepted((string?)null, response)
                    : TypedResults.Ok(response);
            case ExternalTaskStatus.UnknownConnector:
                return Refuse(connector, StatusCodes.Status404NotFound, ProblemTypes.UnknownConnector, "Unknown connector", detail);
            case ExternalTaskStatus.ConnectorDisabled:
                return Refuse(connector, StatusCodes.Status409Conflict, ProblemTypes.ConnectorDisabled, "Connector disabled", detail);
            case ExternalTaskStatus.LoggingDisabled:
                return Refuse(connector, StatusCodes.Status409Conflict, ProblemTypes.LoggingDisabled, "Incoming logging disabled", detail);
            case ExternalTaskStatus.Rejected:
                return Refuse(connector, StatusCodes.Status422UnprocessableEntity, ProblemTypes.ObjectRejected, "Object rejected", detail);
            case ExternalTaskStatus.InvalidObject when result.Violation is { } violation:
                Log.RequestRefused(logger, connector, StatusCodes.Status422UnprocessableEntity, ProblemTypes.InvalidObject);
                return TypedResults.Problem(detail: detail, statusCode: StatusCodes.Status422UnprocessableEntity, title: "Invalid object", type: ProblemTypes.InvalidObject,
                    extensions: new Dictionary<string, object?>
                    {
                        ["objectType"] = violation.ObjectType,
                        ["field"] = violation.Field,
                        ["value"] = violation.Value,
                        ["rule"] = violation.Rule,
                    });
            case ExternalTaskStatus.Replayed:
                // A valid signature whose message ID belongs to another connector or another body: never queued again.
                Log.WebhookReplayRefused(logger, connector, detail);
                return Problem(StatusCodes.Status409Conflict, ProblemTypes.WebhookReplayed, "Webhook message already received", detail);
            case ExternalTaskStatus.UnknownSite:
                return Refuse(connector, StatusCodes.Status422UnprocessableEntity, ProblemTypes.UnknownSite, "Unknown site", detail);
            default:
                return Refuse(connector, StatusCodes.Status422UnprocessableEntity, ProblemTypes.InvalidTask, "Invalid task", detail);
        }
    }

    private ProblemHttpResult Unauthorized(string connector, string reason)
    {
        Log.Unauthorized(logger, connector, reason);
        return Problem(StatusCodes.Status401Unauthorized, ProblemTypes.Unauthorized, "Unauthorized", reason);
    }

    private ProblemHttpResult Refuse(string connector, int status, string type, string title, string detail)
    {
        Log.RequestRefused(logger, connector, status, type);
        return Problem(status, type, title, detail);
    }

    private static ProblemHttpResult Problem(int status, string type, string title, string detail) =>
        TypedResults.Problem(detail: detail, statusCode: status, title: title, type: type);

    private static bool IsTransient(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is DbException or TimeoutException)
            {
                return true;
            }
        }

        return false;
    }

    private readonly record struct Body(byte[] Bytes, string? ReplayKey, WebhookReceipt? Webhook)
    {
        public ReadOnlyMemory<byte> Memory => Bytes;
    }
}
