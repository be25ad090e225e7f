using Microsoft.AspNetCore.Builder;

namespace IntegrationBus.AspNetCore;

/// <summary>Adds the IntegrationBus request unit of work to the ASP.NET Core pipeline.</summary>
public static class IntegrationBusApplicationBuilderExtensions
{
    /// <summary>
    /// Opens an <see cref="IntegrationScope"/> per request: changes logged while the request runs become tasks in
    /// one batch when it ends without an unhandled exception and without a 5xx status (before the response starts, so a
    /// client that sees the response can see the tasks), and the connectors they touched are woken. A request that
    /// throws or answers 5xx writes nothing.
    /// </summary>
    /// <remarks>
    /// Place it after <c>UseExceptionHandler</c> and authentication, before the endpoints. A 4xx answer still writes the
    /// tasks (the handler may have changed data before refusing); a handler that wants to discard them throws.
    /// </remarks>
    /// <param name="app">The application builder.</param>
    /// <returns>The application builder.</returns>
    public static IApplicationBuilder UseIntegrationBusScope(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.UseMiddleware<IntegrationScopeMiddleware>();
    }
}
