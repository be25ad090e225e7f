using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace IntegrationBus.AspNetCore.Dashboard;

/// <summary>Maps the dashboard: <c>{prefix}/</c> (the page) and <c>{prefix}/assets/{file}</c> (its script and styles).</summary>
/// <remarks>
/// The page is one HTML file with hash routing; its script calls the management API at <c>{prefix}/api/...</c> relative
/// to its own address, so it works under any prefix and path base. The caller maps it on the management group, which
/// carries the read policy.
/// </remarks>
internal static class DashboardEndpoints
{
    /// <summary>Maps the page and its assets on <paramref name="group"/>; returns the two endpoints' conventions.</summary>
    public static IEndpointConventionBuilder[] MapDashboard(IEndpointRouteBuilder group)
    {
        ArgumentNullException.ThrowIfNull(group);
        var page = group.MapGet("/", (HttpContext context) =>
            {
                // The page's relative links (assets/…, api/…) need the trailing slash: {prefix} → {prefix}/.
                var path = context.Request.Path.Value ?? string.Empty;
                return path.EndsWith('/')
                    ? DashboardAssets.Serve(context, "index.html")
                    : Results.Redirect(context.Request.PathBase + path + "/" + context.Request.QueryString);
            })
            .WithName("IntegrationBusDashboard")
            .ExcludeFromDescription();
        var assets = group.MapGet("/assets/{file}", (HttpContext context, string file) => DashboardAssets.Serve(context, file))
            .WithName("IntegrationBusDashboardAssets")
            .ExcludeFromDescription();
        return [page, assets];
    }
}
