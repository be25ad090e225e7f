using System.Security.Claims;
using System.Text.Encodings.Web;
using IntegrationBus.AspNetCore;
using IntegrationBus.Sqlite;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IntegrationBus.Cli.Tests;

/// <summary>
/// A running application on a seeded store: the management API at <c>/integration/admin</c> on a free loopback port,
/// behind a test bearer scheme (<see cref="OperatorToken"/> reads and operates, <see cref="ViewerToken"/> only reads).
/// Producer-only, so no runner changes the seeded states while the tool looks.
/// </summary>
internal sealed class ManagementApp : IAsyncDisposable
{
    public const string OperatorToken = "operator-token";
    public const string ViewerToken = "viewer-token";

    private readonly WebApplication _app;

    private ManagementApp(WebApplication app, string url)
    {
        _app = app;
        Url = url;
    }

    /// <summary>Gets the management prefix, e.g. http://127.0.0.1:40123/integration/admin.</summary>
    public string Url { get; }

    public static async Task<ManagementApp> StartAsync(string storePath)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddIntegrationBus(bus => bus
            .UseSqlite($"Data Source={storePath}")
            .Configure(o => o.ProducerOnly = true));
        builder.Services.AddAuthentication(BearerHandler.SchemeName).AddScheme<AuthenticationSchemeOptions, BearerHandler>(BearerHandler.SchemeName, null);
        builder.Services.AddAuthorization(o =>
        {
            o.AddPolicy("bus-read", p => p.RequireRole("reader"));
            o.AddPolicy("bus-operate", p => p.RequireRole("operator"));
        });
        builder.Services.AddIntegrationBusManagementApi();
        var app = builder.Build();
        app.MapIntegrationBusManagement("/integration/admin", o =>
        {
            o.ReadPolicy = "bus-read";
            o.OperatePolicy = "bus-operate";
        });
        await app.StartAsync(TestContext.Current.CancellationToken);
        return new ManagementApp(app, app.Urls.Single().TrimEnd('/') + "/integration/admin");
    }

    /// <summary>The tool's arguments with <c>--url</c> and a token.</summary>
    public string[] Args(string token, params string[] arguments) => [.. arguments, "--url", Url, "--token", token];

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }

    /// <summary>Authenticates <c>Authorization: Bearer operator-token</c> as "ops" (reader, operator) and <c>viewer-token</c> as "viewer" (reader).</summary>
    private sealed class BearerHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        public const string SchemeName = "TestBearer";

        protected override Task<AuthenticateResult> HandleAuthenticateAsync()
        {
            var header = Request.Headers.Authorization.ToString();
            if (!header.StartsWith("Bearer ", StringComparison.Ordinal))
            {
                return Task.FromResult(AuthenticateResult.NoResult());
            }

            Claim[]? claims = header["Bearer ".Length..] switch
            {
                OperatorToken => [new(ClaimTypes.Name, "ops"), new(ClaimTypes.Role, "reader"), new(ClaimTypes.Role, "operator")],
                ViewerToken => [new(ClaimTypes.Name, "viewer"), new(ClaimTypes.Role, "reader")],
                _ => null,
            };
            return Task.FromResult(claims is null
                ? AuthenticateResult.Fail("Unknown token.")
                : AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName)), SchemeName)));
        }
    }
}
