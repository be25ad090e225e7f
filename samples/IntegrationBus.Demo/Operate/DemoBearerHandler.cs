using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace IntegrationBus.Demo.Operate;

/// <summary>
/// A deliberately tiny bearer scheme for the demo: <c>Authorization: Bearer &lt;the printed token&gt;</c> signs the
/// caller in as <c>admin</c> (what <c>ibus --url … --token …</c> sends). Not a pattern for production: use real tokens
/// (JWT from your identity provider) there.
/// </summary>
public sealed class DemoBearerHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, DemoAccess access)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "DemoBearer";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        if (!access.IsToken(header["Bearer ".Length..].Trim()))
        {
            return Task.FromResult(AuthenticateResult.Fail("The bearer token is not the one the demo printed at start."));
        }

        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, "admin (token)"), new Claim(ClaimTypes.Role, DemoAccess.Admin)], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }
}
