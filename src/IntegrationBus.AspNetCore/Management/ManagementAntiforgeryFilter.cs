using IntegrationBus.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace IntegrationBus.AspNetCore.Management;

/// <summary>
/// Refuses a state-changing management request that a browser could have sent on its own (no <c>Authorization</c>
/// header, or one of the schemes browsers attach by themselves) unless it carries a valid antiforgery token in
/// <see cref="IntegrationBusManagementEndpointOptions.AntiforgeryHeaderName"/>.
/// </summary>
/// <remarks>
/// Minimal APIs validate antiforgery tokens only for form bodies, so this filter calls <see cref="IAntiforgery"/> itself.
/// The token is copied into the header name the application's <see cref="AntiforgeryOptions"/> use, so the
/// application's own antiforgery settings stay as they are.
/// </remarks>
internal sealed class ManagementAntiforgeryFilter(IAntiforgery antiforgery, IOptions<AntiforgeryOptions> options, ILogger<ManagementAntiforgeryFilter> logger) : IEndpointFilter
{
    private static readonly string[] BrowserSchemes = ["Basic", "Digest", "Negotiate", "NTLM"];

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (!NeedsToken(http.Request))
        {
            return await next(context).ConfigureAwait(false);
        }

        var token = http.Request.Headers[IntegrationBusManagementEndpointOptions.AntiforgeryHeaderName];
        if (options.Value.HeaderName is { } headerName && !string.Equals(headerName, IntegrationBusManagementEndpointOptions.AntiforgeryHeaderName, StringComparison.OrdinalIgnoreCase))
        {
            http.Request.Headers[headerName] = token;
        }

        if (token.Count != 1 || string.IsNullOrEmpty(token[0]) || !await antiforgery.IsRequestValidAsync(http).ConfigureAwait(false))
        {
            Log.AntiforgeryRefused(logger, http.Request.Method, http.Request.Path, ManagementEndpoints.Actor(http.User));
            return ManagementProblems.Antiforgery();
        }

        return await next(context).ConfigureAwait(false);
    }

    private static bool NeedsToken(HttpRequest request)
    {
        var authorization = request.Headers[HeaderNames.Authorization].ToString();
        if (authorization.Length == 0)
        {
            return true;
        }

        var scheme = authorization.Split(' ', 2)[0];
        return BrowserSchemes.Contains(scheme, StringComparer.OrdinalIgnoreCase);
    }
}
