using System.Data.Common;
using IntegrationBus.AspNetCore.Diagnostics;
using IntegrationBus.AspNetCore.Incoming;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace IntegrationBus.AspNetCore.Management;

/// <summary>
/// The per-request error boundary of the management API: a busy or unavailable store is a 503 problem, anything else
/// unexpected a 500 problem without a stack trace; a client that went away gets nothing.
/// </summary>
internal sealed class ManagementErrorFilter(ILogger<ManagementErrorFilter> logger) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        try
        {
            return await next(context).ConfigureAwait(false);
        }
        catch (Exception exception) when (http.RequestAborted.IsCancellationRequested && exception is OperationCanceledException or IOException)
        {
            return Results.Empty;
        }
        catch (Exception exception) when (IsTransient(exception))
        {
            Log.ManagementStoreUnavailable(logger, http.Request.Method, http.Request.Path, exception);
            return ManagementProblems.Problem(StatusCodes.Status503ServiceUnavailable, ProblemTypes.StoreUnavailable, "Task store unavailable",
                "The task store is busy or unavailable; nothing was changed by this request unless its answer says so. Try again.");
        }
        catch (Exception exception)
        {
            Log.ManagementRequestFailed(logger, http.Request.Method, http.Request.Path, exception);
            return ManagementProblems.Problem(StatusCodes.Status500InternalServerError, ProblemTypes.InternalError, "Request failed",
                $"The request failed unexpectedly; the server log has the details under trace identifier {http.TraceIdentifier}.");
        }
    }

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
}
