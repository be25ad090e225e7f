using System.Data.Common;
using System.Globalization;
using IntegrationBus.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

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
    public async Task<IResult> PostIncomingAsync(string connector, HttpContext context)
    {
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

        var result = await GuardAsync(connector, context, body.ReplayKey, () => bus.ProcessExternalTaskAsync(
            connector, request.ExternalObject, request.TaskType, request.DataType, request.Site, request.Policy,
            idempotencyKey.Length == 0 ? null : idempotencyKey, context.RequestAborted)).ConfigureAwait(false);
        return result.Result ?? Answer(connector, result.Value!);
    }

    /// <summary>Handles <c>POST {prefix}/connectors/{connector}/process</c>.</summary>
    public async Task<IResult> PostProcessAsync(string connector, HttpContext context)
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
        var bytes = await BoundedBodyReader.ReadAsync(context, limit, context.RequestAborted).ConfigureAwait(false);
        if (bytes is null)
        {
            return (default, Refuse(connector, StatusCodes.Status413PayloadTooLarge, ProblemTypes.BodyTooLarge, "Body too large",
                $"The body is larger than {limit} bytes (IntegrationBusHttpOptions.MaxBodySize); send one change per request or raise the limit."));
        }

        if (authenticator.CheckSignature(connector, context.Request.Headers, bytes, out var replayKey) is { } signatureFailure)
        {
            return (default, Unauthorized(connector, signatureFailure));
        }

        return (new Body(bytes, replayKey), null);
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
        catch (Exception exception) when (exception is not OperationCanceledException || !context.RequestAborted.IsCancellationRequested)
        {
            Log.RequestFailed(logger, connector, exception);
            return (null, Problem(StatusCodes.Status500InternalServerError, ProblemTypes.InternalError, "Request failed",
                $"The request failed unexpectedly; the server log has the details under trace identifier {context.TraceIdentifier}."));
        }
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

    private readonly record struct Body(byte[] Bytes, string? ReplayKey)
    {
        public ReadOnlyMemory<byte> Memory => Bytes;
    }
}
