using IntegrationBus.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace IntegrationBus.AspNetCore;

/// <summary>The per-request unit of work (DESIGN.md §4, the end-of-request trigger).</summary>
internal sealed class IntegrationScopeMiddleware(RequestDelegate next, IntegrationBusService bus, ILogger<IntegrationScopeMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var scope = bus.BeginScope();
        await using (scope.ConfigureAwait(false))
        {
            var state = new RequestScope(scope, context);
            context.Response.OnStarting(static s => ((RequestScope)s).CompleteAsync(), state);
            try
            {
                await next(context).ConfigureAwait(false);
            }
            catch
            {
                state.Failed = true;
                if (scope.PendingCount > 0)
                {
                    Log.ScopeDiscarded(logger, context.Request.Path, scope.PendingCount);
                }

                throw;
            }

            // The response may not have started (an empty 204, say): complete here, before the server sends it.
            await state.CompleteAsync().ConfigureAwait(false);
        }
    }

    private sealed class RequestScope(IntegrationScope scope, HttpContext context)
    {
        private bool _completed;

        public bool Failed { get; set; }

        public async Task CompleteAsync()
        {
            // A 5xx answer (an exception turned into a 500 by a handler inside this middleware, say) is a failure too.
            if (Failed || _completed || context.Response.StatusCode >= StatusCodes.Status500InternalServerError)
            {
                return;
            }

            _completed = true;
            if (scope.PendingCount > 0)
            {
                // Not the request's token: once the application's data has changed, an aborted client must not lose its tasks.
                await scope.CompleteAsync(CancellationToken.None).ConfigureAwait(false);
            }
        }
    }
}
