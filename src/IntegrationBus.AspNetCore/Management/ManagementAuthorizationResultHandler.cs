using IntegrationBus.AspNetCore.Incoming;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace IntegrationBus.AspNetCore.Management;

/// <summary>
/// Lets the application's authentication schemes challenge and forbid as usual, then gives a management API endpoint's
/// bare 401 or 403 an RFC 7807 body. A scheme that redirects (a cookie login page) is left alone, and so is every other endpoint.
/// </summary>
internal sealed class ManagementAuthorizationResultHandler(IAuthorizationMiddlewareResultHandler inner) : IAuthorizationMiddlewareResultHandler
{
    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        await inner.HandleAsync(next, context, policy, authorizeResult).ConfigureAwait(false);
        if (authorizeResult.Succeeded || context.GetEndpoint()?.Metadata.GetMetadata<ManagementEndpointMetadata>() is null
            || context.Response.HasStarted || context.Response.Headers.ContainsKey(HeaderNames.Location))
        {
            return;
        }

        var problem = context.Response.StatusCode switch
        {
            StatusCodes.Status401Unauthorized => ManagementProblems.Problem(StatusCodes.Status401Unauthorized, ProblemTypes.Unauthorized, "Unauthorized",
                "Sign in first: the management API needs an authenticated caller."),
            StatusCodes.Status403Forbidden => ManagementProblems.Problem(StatusCodes.Status403Forbidden, ProblemTypes.Forbidden, "Forbidden",
                "The caller is signed in but not allowed to do this (a read-only caller cannot change anything)."),
            _ => null,
        };
        if (problem is not null)
        {
            await problem.ExecuteAsync(context).ConfigureAwait(false);
        }
    }
}
