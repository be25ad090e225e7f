using Microsoft.Playwright;

namespace IntegrationBus.Dashboard.Tests.Support;

/// <summary>
/// One headless Chromium for a test class: Debian's <c>/usr/bin/chromium</c> (Playwright downloads no browser here).
/// Without it a test skips, unless <c>CI=true</c>, where it fails (<c>.ci/run</c> installs it).
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public async ValueTask InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            return;
        }

        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    /// <summary>Gets the browser, or skips the test (fails it on CI) when Chromium is missing.</summary>
    public IBrowser Require()
    {
        if (_browser is null)
        {
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            {
                Assert.Fail($"{ChromiumPath} is missing, but CI=true: .ci/run must install Debian's chromium (apt-get install -y chromium).");
            }

            Assert.Skip($"No browser: {ChromiumPath} is missing (apt-get install -y chromium) to run the dashboard's browser tests.");
        }

        return _browser;
    }

    /// <summary>A new page of its own (cookies included) with the given viewport, logged in as <paramref name="user"/>.</summary>
    public async Task<IPage> LoginAsync(DashboardHost host, string user, int width = 1280, int height = 900)
    {
        var context = await Require().NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = width, Height = height }, BaseURL = host.Address.ToString() });
        context.SetDefaultTimeout(30_000);
        var page = await context.NewPageAsync();
        await page.GotoAsync($"test-login/{user}");
        return page;
    }

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }
}
