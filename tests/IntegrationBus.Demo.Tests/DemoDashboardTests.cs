using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace IntegrationBus.Demo.Tests;

/// <summary>
/// Runs the demo serving (no <c>--scenario</c>) as a child process and signs in with what it prints: the dashboard is
/// behind the sign-in, the printed users and token work, wrong ones do not.
/// </summary>
[Collection(DemoProcesses.Name)]
public sealed partial class DemoDashboardTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    private static string DemoPath { get; } = typeof(DemoDashboardTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "DemoPath").Value!;

    [Fact]
    public async Task Served_DashboardNeedsSignIn_PrintedUsersAndTokenWork()
    {
        var data = Path.Combine(Path.GetTempPath(), $"ibusdash-demo-{Guid.NewGuid():N}");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { DemoPath, "--urls", "http://127.0.0.1:0", "--crm-urls", "http://127.0.0.1:0", "--data", data })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("The demo did not start.");
        var errors = process.StandardError.ReadToEndAsync(CancellationToken.None);   // drained, so the demo never blocks on a full pipe
        Task? rest = null;
        try
        {
            var printed = await ReadUntilAsync(process.StandardOutput, "ibus:");
            rest = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
            var dashboard = DashboardLine().Match(printed);
            var token = TokenLine().Match(printed);
            Assert.True(dashboard.Success && token.Success, printed);
            var address = new Uri(dashboard.Groups["url"].Value);

            using var handler = new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() };
            using var browser = new HttpClient(handler) { BaseAddress = address };
            var ct = TestContext.Current.CancellationToken;

            // Anonymous: the page sends to the sign-in form, the API answers 401.
            var anonymous = await browser.GetAsync(address, ct);
            Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
            Assert.StartsWith("/login", anonymous.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("api/queues", ct)).StatusCode);

            // The form needs its antiforgery token; a wrong password is refused; the printed viewer gets in, read-only.
            Assert.Equal(HttpStatusCode.BadRequest, (await SignInAsync(browser, "viewer", dashboard.Groups["viewer"].Value, token: null)).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await SignInAsync(browser, "viewer", "wrong-password", await FormTokenAsync(browser))).StatusCode);
            var signedIn = await SignInAsync(browser, "viewer", dashboard.Groups["viewer"].Value, await FormTokenAsync(browser));
            Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
            Assert.Equal(address.AbsolutePath, signedIn.Headers.Location!.OriginalString);
            var page = await browser.GetAsync(address, ct);
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Contains("assets/app.js", await page.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
            var me = JsonDocument.Parse(await browser.GetStringAsync("api/me", ct)).RootElement;
            Assert.Equal("viewer", me.GetProperty("name").GetString());
            Assert.False(me.GetProperty("canOperate").GetBoolean());

            // ibus's way in: the printed bearer token acts as admin; another token is refused.
            using var tool = new HttpClient { BaseAddress = address };
            tool.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.Groups["token"].Value);
            var queues = JsonDocument.Parse(await tool.GetStringAsync("api/queues", ct)).RootElement;
            Assert.Contains(queues.EnumerateArray(), q => q.GetProperty("connector").GetString() == "crm-users");
            Assert.True(JsonDocument.Parse(await tool.GetStringAsync("api/me", ct)).RootElement.GetProperty("canOperate").GetBoolean());
            tool.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "not-the-token");
            Assert.Equal(HttpStatusCode.Unauthorized, (await tool.GetAsync("api/queues", ct)).StatusCode);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync(CancellationToken.None);
            }

            await Task.WhenAll(errors, rest ?? Task.CompletedTask);

            if (Directory.Exists(data))
            {
                Directory.Delete(data, recursive: true);
            }
        }
    }

    private static async Task<string> ReadUntilAsync(StreamReader output, string prefix)
    {
        var text = new System.Text.StringBuilder();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(Timeout);
        while (await output.ReadLineAsync(timeout.Token) is { } line)
        {
            text.AppendLine(line);
            if (line.StartsWith(prefix, StringComparison.Ordinal))
            {
                return text.ToString();
            }
        }

        throw new InvalidOperationException($"The demo ended before printing '{prefix}':\n{text}");
    }

    private static async Task<string> FormTokenAsync(HttpClient browser)
    {
        var form = await browser.GetStringAsync("/login", TestContext.Current.CancellationToken);
        return FormToken().Match(form).Groups["token"].Value;
    }

    private static Task<HttpResponseMessage> SignInAsync(HttpClient browser, string user, string password, string? token)
    {
        var fields = new Dictionary<string, string> { ["user"] = user, ["password"] = password, ["returnUrl"] = browser.BaseAddress!.AbsolutePath };
        if (token is not null)
        {
            fields["__RequestVerificationToken"] = token;
        }

        return browser.PostAsync("/login", new FormUrlEncodedContent(fields), TestContext.Current.CancellationToken);
    }

    [GeneratedRegex(@"^Dashboard:\s+(?<url>\S+) \(sign in as admin / (?<admin>\w+) to operate, viewer / (?<viewer>\w+) to look\)", RegexOptions.Multiline)]
    private static partial Regex DashboardLine();

    [GeneratedRegex(@"^ibus:\s+ibus --url \S+ --token (?<token>\w+) status", RegexOptions.Multiline)]
    private static partial Regex TokenLine();

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"(?<token>[^\"]+)\"")]
    private static partial Regex FormToken();
}
