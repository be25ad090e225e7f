using Microsoft.AspNetCore.Builder;

namespace IntegrationBus.AspNetCore;

/// <summary>Adds the IntegrationBus request unit of work to the ASP.NET Core pipeline.</summary>
public static class IntegrationBusApplicationBuilderExtensions
{
    /// <summary>
    /// Opens an <see cref="Outgoing.IntegrationScope"/> per request: changes logged while the request runs become tasks in
    /// one batch when it ends without an unhandled exception (before the response starts, so a client that sees the
    /// response can see the tasks), and the connectors they touched are woken. A request that throws writes nothing.
    /// </summary>
    /// <remarks>
    /// Place it after authentication and before the endpoints. The status code does not matter: a handler that returns
    /// an error after changing data still gets its tasks written; one that wants to discard them throws.
    /// </remarks>
    /// <param name="app">The application builder.</param>
    /// <returns>The application builder.</returns>
    public static IApplicationBuilder UseIntegrationBusScope(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.UseMiddleware<IntegrationScopeMiddleware>();
    }
}
