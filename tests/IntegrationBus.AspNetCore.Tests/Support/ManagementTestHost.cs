using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using IntegrationBus.Management;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IntegrationBus.AspNetCore.Tests.Support;

/// <summary>
/// An <see cref="HttpTestHost"/> with the management API at <c>/integration/admin</c> behind the test authentication
/// (<see cref="TestAuthenticationHandler"/>): policy <c>bus-read</c> for readers, <c>bus-operate</c> for operators.
/// </summary>
public sealed class ManagementTestHost : IAsyncDisposable
{
    public const string Api = "/integration/admin/api";

    private ManagementTestHost(HttpTestHost host, LogSignals signals)
    {
        Host = host;
        Signals = signals;
    }

    public HttpTestHost Host { get; }

    public LogSignals Signals { get; }

    public HttpClient Client => Host.Client;

    public IntegrationBusManagement Management => Host.Services.GetRequiredService<IntegrationBusManagement>();

    /// <summary>Starts the host; <paramref name="failing"/> adds the connector <see cref="FailingConnector"/>.</summary>
    public static async Task<ManagementTestHost> StartAsync(Action<IntegrationBusManagementEndpointOptions>? configure = null, bool failing = false)
    {
        var signals = new LogSignals();
        var host = await HttpTestHost.StartAsync(
            logs: [signals],
            busBuilder: failing ? b => b.AddConnector(new FailingConnector()) : null,
            services: services =>
            {
                services.AddAuthentication(TestAuthenticationHandler.SchemeName)
                    .AddScheme<AuthenticationSchemeOptions, TestAuthenticationHandler>(TestAuthenticationHandler.SchemeName, null);
                services.AddAuthorization(o =>
                {
                    o.AddPolicy("bus-read", p => p.RequireRole(TestAuthenticationHandler.ReadRole));
                    o.AddPolicy("bus-operate", p => p.RequireRole(TestAuthenticationHandler.OperateRole));
                });
                services.AddIntegrationBusManagementApi();
            },
            map: app => app.MapIntegrationBusManagement("/integration/admin", configure ?? (o =>
            {
                o.ReadPolicy = "bus-read";
                o.OperatePolicy = "bus-operate";
            })));
        return new ManagementTestHost(host, signals);
    }

    /// <summary>Sends a request as <paramref name="user"/> with an <c>Authorization: Bearer</c> header (no antiforgery token needed), or anonymously.</summary>
    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? user = "admin", object? body = null)
    {
        var request = Request(method, path, body);
        if (user is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", user);
        }

        return Client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    public async Task<JsonElement> GetJsonAsync(string path, string user = "admin")
    {
        var response = await SendAsync(HttpMethod.Get, path, user);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public async Task<JsonElement> SendJsonAsync(HttpMethod method, string path, object? body = null, string user = "admin")
    {
        var response = await SendAsync(method, path, user, body);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Opens a browser-like session: the user's cookie, then <c>GET api/me</c> for the antiforgery token and its cookie.</summary>
    public async Task<CookieSession> OpenSessionAsync(string user)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, Api + "/me");
        request.Headers.Add("Cookie", $"{TestAuthenticationHandler.Cookie}={user}");
        var response = await Client.SendAsync(request, TestContext.Current.CancellationToken);
        var me = await HttpTestHost.JsonAsync(response);
        Assert.True(response.IsSuccessStatusCode, me.ToString());
        var cookies = response.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]);
        return new CookieSession(this, user, string.Join("; ", cookies.Prepend($"{TestAuthenticationHandler.Cookie}={user}")), me);
    }

    /// <summary>Logs <paramref name="count"/> contact changes in one scope (one write), one task each for every enabled connector.</summary>
    public async Task LogContactsAsync(int count, string prefix = "contact")
    {
        await using var scope = Host.Bus.BeginScope();
        for (var i = 0; i < count; i++)
        {
            await scope.LogChangeAsync(TestConnector.NewContact($"{prefix}{i}@example.com", id: i + 1), TaskType.CreateObject, TestContext.Current.CancellationToken);
        }

        await scope.CompleteAsync(TestContext.Current.CancellationToken);
    }

    /// <summary>
    /// Waits until <paramref name="condition"/> holds, re-checking each time the queue's runner goes idle (subscribed
    /// before each check, so an idle that happens meanwhile is not missed).
    /// </summary>
    public async Task WaitUntilAsync(string connector, TaskDirection direction, Func<Task<bool>> condition)
    {
        while (true)
        {
            var idle = Signals.NextRunnerWaitAsync(connector, direction, _ => true);
            if (await condition())
            {
                return;
            }

            await idle;
        }
    }

    public static HttpRequestMessage Request(HttpMethod method, string path, object? body)
    {
        var request = new HttpRequestMessage(method, path.StartsWith('/') ? path : $"{Api}/{path}");
        if (body is not null)
        {
            request.Content = new StringContent(body as string ?? JsonSerializer.Serialize(body, JsonSerializerOptions.Web), Encoding.UTF8, "application/json");
        }

        return request;
    }

    public ValueTask DisposeAsync() => Host.DisposeAsync();
}
