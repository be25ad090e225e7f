using System.Net;
using System.Reflection;
using System.Text.RegularExpressions;
using IntegrationBus.Dashboard.Tests.Support;

namespace IntegrationBus.Dashboard.Tests;

/// <summary>How the dashboard's files are served (no browser needed), and rules its files keep.</summary>
public sealed partial class DashboardAssetsTests : IAsyncLifetime
{
    private DashboardHost _host = null!;

    public async ValueTask InitializeAsync() => _host = await DashboardHost.StartAsync();

    public async ValueTask DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Page_Anonymous_IsRefused()
    {
        using var client = new HttpClient { BaseAddress = _host.Address };
        var ct = TestContext.Current.CancellationToken;

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync(DashboardHost.Prefix + "/", ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync(DashboardHost.Prefix + "/assets/app.js", ct)).StatusCode);
    }

    [Fact]
    public async Task Page_Reader_GetsThePageWithAStrictContentSecurityPolicy()
    {
        using var client = await SignedInAsync("viewer");
        var ct = TestContext.Current.CancellationToken;

        var response = await client.GetAsync(DashboardHost.Prefix + "/", ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var policy = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self'", policy, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", policy, StringComparison.Ordinal);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Contains("assets/app.js", await response.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Page_WithoutTrailingSlash_RedirectsSoThatRelativeLinksResolve()
    {
        using var client = await SignedInAsync("viewer");

        var response = await client.GetAsync(DashboardHost.Prefix + "?x=1", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(DashboardHost.Prefix + "/?x=1", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Asset_SameETag_AnswersNotModified()
    {
        using var client = await SignedInAsync("viewer");
        var ct = TestContext.Current.CancellationToken;

        var first = await client.GetAsync(DashboardHost.Prefix + "/assets/app.js", ct);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("text/javascript", first.Content.Headers.ContentType?.MediaType);
        Assert.Contains("private", first.Headers.CacheControl!.ToString(), StringComparison.Ordinal);
        using var again = new HttpRequestMessage(HttpMethod.Get, DashboardHost.Prefix + "/assets/app.js");
        again.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        Assert.Equal(HttpStatusCode.NotModified, (await client.SendAsync(again, ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(DashboardHost.Prefix + "/assets/missing.js", ct)).StatusCode);
    }

    /// <summary>
    /// Values from the server reach the page only as text, and nothing is loaded from elsewhere: no HTML sinks, no
    /// eval, no absolute URLs (the SVG namespace aside), no inline script or style in the page (the CSP forbids them).
    /// </summary>
    [Fact]
    public void Assets_UseNoHtmlSinksAndLoadNothingFromElsewhere()
    {
        var assembly = typeof(global::IntegrationBus.AspNetCore.Dashboard.DashboardEndpoints).Assembly;
        var names = assembly.GetManifestResourceNames().Where(n => n.StartsWith("IntegrationBus.Dashboard.", StringComparison.Ordinal)).ToList();
        Assert.Equal(["IntegrationBus.Dashboard.app.css", "IntegrationBus.Dashboard.app.js", "IntegrationBus.Dashboard.index.html"], names.Order(StringComparer.Ordinal));
        foreach (var name in names)
        {
            var text = Read(assembly, name);
            Assert.DoesNotMatch(Sinks(), text);
            foreach (Match url in AbsoluteUrl().Matches(text))
            {
                Assert.Equal("http://www.w3.org/2000/svg", url.Value);
            }
        }

        var page = Read(assembly, "IntegrationBus.Dashboard.index.html");
        Assert.DoesNotMatch(@"<script(?![^>]*\bsrc=)", page);
        Assert.DoesNotContain("style=", page, StringComparison.Ordinal);
        Assert.DoesNotContain("<style", page, StringComparison.Ordinal);
    }

    private static string Read(Assembly assembly, string name)
    {
        using var reader = new StreamReader(assembly.GetManifestResourceStream(name)!);
        return reader.ReadToEnd();
    }

    private async Task<HttpClient> SignedInAsync(string user)
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() }) { BaseAddress = _host.Address };
        var response = await client.GetAsync($"/test-login/{user}", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return client;
    }

    [GeneratedRegex(@"innerHTML|outerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function\(")]
    private static partial Regex Sinks();

    [GeneratedRegex(@"(https?:)?//[\w.-]+\.[a-z]{2,}[/\w.-]*")]
    private static partial Regex AbsoluteUrl();
}
