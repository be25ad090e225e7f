using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;

namespace IntegrationBus.Demo.Operate;

/// <summary>
/// The demo's sign-in: a cookie for the dashboard (<c>/login</c>, a plain form with an antiforgery token), the
/// <see cref="DemoBearerHandler"/> for <c>ibus</c>, and the two policies the management API asks for:
/// <c>bus-read</c> (admin or viewer) and <c>bus-operate</c> (admin).
/// </summary>
public static class DemoLogin
{
    private const string Scheme = "Demo";

    public static void AddDemoLogin(this IServiceCollection services, DemoAccess access)
    {
        services.AddSingleton(access);
        services.AddAntiforgery();
        // One default scheme that picks per request: the bearer token when an Authorization header is sent, else the cookie.
        services.AddAuthentication(Scheme)
            .AddPolicyScheme(Scheme, "Cookie or demo bearer token", o => o.ForwardDefaultSelector = context =>
                context.Request.Headers.Authorization.Count > 0 ? DemoBearerHandler.SchemeName : CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(o =>
            {
                o.Cookie.Name = "integrationbus-demo";
                o.LoginPath = "/login";
                o.ExpireTimeSpan = TimeSpan.FromHours(8);
                // The dashboard's API calls get 401 / 403 rather than a redirect to the login form.
                o.Events.OnRedirectToLogin = context => Answer(context, StatusCodes.Status401Unauthorized);
                o.Events.OnRedirectToAccessDenied = context => Answer(context, StatusCodes.Status403Forbidden);
            })
            .AddScheme<AuthenticationSchemeOptions, DemoBearerHandler>(DemoBearerHandler.SchemeName, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(DemoAccess.ReadPolicy, p => p.RequireRole(DemoAccess.Admin, DemoAccess.Viewer))
            .AddPolicy(DemoAccess.OperatePolicy, p => p.RequireRole(DemoAccess.Admin));
    }

    public static void MapDemoLogin(this WebApplication app)
    {
        app.MapGet("/login", (HttpContext context, IAntiforgery antiforgery, string? returnUrl) =>
            Page(antiforgery.GetAndStoreTokens(context), returnUrl, error: null));
        app.MapPost("/login", async ([FromForm] string? user, [FromForm] string? password, [FromForm] string? returnUrl, HttpContext context, IAntiforgery antiforgery, DemoAccess access) =>
        {
            // The form binding above makes ASP.NET Core check the antiforgery token (app.UseAntiforgery()) before this runs.
            if (access.Check(user, password) is not { } role)
            {
                return Page(antiforgery.GetAndStoreTokens(context), returnUrl, "Wrong user name or password.");
            }

            var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, user!), new Claim(ClaimTypes.Role, role)], CookieAuthenticationDefaults.AuthenticationScheme);
            await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity));
            return Results.LocalRedirect(IsLocal(returnUrl) ? returnUrl! : DemoAccess.DashboardPath + "/");
        });
    }

    private static Task Answer(RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        if (context.Request.Path.StartsWithSegments(DemoAccess.DashboardPath + "/api") || status == StatusCodes.Status403Forbidden)
        {
            context.Response.StatusCode = status;
        }
        else
        {
            context.Response.Redirect(context.RedirectUri);
        }

        return Task.CompletedTask;
    }

    private static bool IsLocal(string? url) =>
        !string.IsNullOrEmpty(url) && url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal);

    private static IResult Page(AntiforgeryTokenSet tokens, string? returnUrl, string? error) => Results.Content(
        $"""
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>IntegrationBus demo · sign in</title>
        <style>body{"{"}font-family:system-ui,sans-serif;max-width:22rem;margin:4rem auto;padding:0 1rem{"}"}label,input,button{"{"}display:block;width:100%;margin:.3rem 0{"}"}input,button{"{"}padding:.5rem;font:inherit{"}"}.error{"{"}color:#b3261e{"}"}</style>
        </head><body>
        <h1>IntegrationBus demo</h1>
        <p>Sign in with a user the demo printed at start: <b>admin</b> operates, <b>viewer</b> only looks.</p>
        {(error is null ? string.Empty : $"<p class=\"error\">{WebUtility.HtmlEncode(error)}</p>")}
        <form method="post" action="/login">
          <input type="hidden" name="{WebUtility.HtmlEncode(tokens.FormFieldName)}" value="{WebUtility.HtmlEncode(tokens.RequestToken)}">
          <input type="hidden" name="returnUrl" value="{WebUtility.HtmlEncode(returnUrl ?? string.Empty)}">
          <label>User <input name="user" autocomplete="username" required></label>
          <label>Password <input name="password" type="password" autocomplete="current-password" required></label>
          <button type="submit">Sign in</button>
        </form>
        </body></html>
        """,
        "text/html; charset=utf-8",
        statusCode: error is null ? StatusCodes.Status200OK : StatusCodes.Status401Unauthorized);
}
