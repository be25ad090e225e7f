using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IntegrationBus.AspNetCore.Tests.Support;

/// <summary>
/// Authenticates a caller named by <c>Authorization: Bearer NAME</c> (a CLI-style header) or by the cookie
/// <c>ibus-test-user=NAME</c> (a browser session). <c>admin</c> reads and operates, <c>viewer</c> reads, any other name neither.
/// </summary>
public sealed class TestAuthenticationHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Test";
    public const string Cookie = "ibus-test-user";
    public const string ReadRole = "bus-reader";
    public const string OperateRole = "bus-operator";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        var name = header.StartsWith("Bearer ", StringComparison.Ordinal) ? header["Bearer ".Length..] : Request.Cookies[Cookie];
        if (string.IsNullOrEmpty(name))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var claims = new List<Claim> { new(ClaimTypes.Name, name) };
        if (name is "admin" or "viewer")
        {
            claims.Add(new Claim(ClaimTypes.Role, ReadRole));
        }

        if (name is "admin")
        {
            claims.Add(new Claim(ClaimTypes.Role, OperateRole));
        }

        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName)));
    }
}
