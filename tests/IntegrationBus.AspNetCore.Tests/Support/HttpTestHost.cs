using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using IntegrationBus.Sqlite;
using IntegrationBus.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace IntegrationBus.AspNetCore.Tests.Support;

/// <summary>
/// A web application on a TestServer with a bus on a temp SQLite file: connectors <c>crm</c> (API key),
/// <c>signed</c> (API key and HMAC secret) and <c>open</c> (no credentials), the endpoints under <c>/integration</c>,
/// the request scope and two application endpoints that log an outgoing change.
/// </summary>
public sealed class HttpTestHost : IAsyncDisposable
{
    public const string CrmKey = "crm-key-0123456789";
    public const string SignedKey = "signed-key-0123456789";
    public const string Secret = "signed-secret-0123456789abcdef";

    private readonly WebApplication _app;

    private HttpTestHost(WebApplication app, string path, FakeTimeProvider time, bool kestrel)
    {
        _app = app;
        Path = path;
        Time = time;
        if (kestrel)
        {
            Address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
            Client = new HttpClient { BaseAddress = Address };
        }
        else
        {
            Client = app.GetTestClient();
        }
    }

    /// <summary>Gets the real server's address when the host runs on Kestrel.</summary>
    public Uri? Address { get; }

    public string Path { get; }

    public FakeTimeProvider Time { get; }

    public HttpClient Client { get; }

    public IServiceProvider Services => _app.Services;

    public IntegrationBusService Bus => Services.GetRequiredService<IntegrationBusService>();

    public static async Task<HttpTestHost> StartAsync(
        Action<IntegrationBusHttpOptions>? http = null,
        TimeSpan? busyTimeout = null,
        Action<IntegrationBusOptions>? bus = null,
        bool kestrel = false,
        Action<IntegrationBusBuilder>? busBuilder = null,
        IReadOnlyList<ILoggerProvider>? logs = null,
        Action<IServiceCollection>? services = null,
        Action<WebApplication>? map = null,
        string? databasePath = null)
    {
        var path = databasePath ?? System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"ibus-http-{Guid.NewGuid():N}.db");
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        var builder = WebApplication.CreateBuilder();
        if (kestrel)
        {
            builder.WebHost.UseKestrel(o =>
            {
                o.Listen(System.Net.IPAddress.Loopback, 0);
                o.Limits.MinRequestBodyDataRate = new Microsoft.AspNetCore.Server.Kestrel.Core.MinDataRate(240, TimeSpan.FromSeconds(1.1));
            });
        }
        else
        {
            builder.WebHost.UseTestServer();
        }

        builder.Logging.ClearProviders();
        if (logs is not null)
        {
            foreach (var provider in logs)
            {
                builder.Logging.AddProvider(provider);
            }

            builder.Logging.SetMinimumLevel(LogLevel.Debug);
        }
        builder.Services.AddSingleton<TimeProvider>(time);
        builder.Services.AddIntegrationBus(b => b
            .UseSqlite($"Data Source={path}", o => o.BusyTimeout = busyTimeout ?? TimeSpan.FromSeconds(5))
            .AddObjectType(TestConnector.Contact)
            .AddObjectType(TestConnector.Article)
            .AddConnector(new TestConnector("crm"))
            .AddConnector(new TestConnector("signed"))
            .AddConnector(new TestConnector("open"))
            .UseInternalDataHandler<KeepingDataHandler>()
            .Configure(o => bus?.Invoke(o)));
        if (busBuilder is not null)
        {
            builder.Services.AddIntegrationBus(busBuilder);
        }

        builder.Services.AddIntegrationBusHttp(o =>
        {
            o.MaxBodySize = 4096;
            o.Connectors["crm"] = new IntegrationBusHttpCredentials();
            o.Connectors["crm"].ApiKeys.Add(CrmKey);
            o.Connectors["signed"] = new IntegrationBusHttpCredentials { HmacSecret = Secret };
            o.Connectors["signed"].ApiKeys.Add(SignedKey);
            http?.Invoke(o);
        });
        builder.Services.AddOpenApi();
        services?.Invoke(builder.Services);

        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseIntegrationBusScope();
        app.MapOpenApi();
        app.MapIntegrationBus("/integration");
        map?.Invoke(app);
        app.MapPost("/app/contacts", async (IntegrationBusService service, CancellationToken cancellationToken) =>
        {
            await service.LogChangeAsync(TestConnector.NewContact("app@example.com", id: 7), TaskType.CreateObject, cancellationToken);
            return Results.Ok();
        });
        app.MapPost("/app/fail", async (IntegrationBusService service, CancellationToken cancellationToken) =>
        {
            await service.LogChangeAsync(TestConnector.NewContact("fail@example.com", id: 8), TaskType.CreateObject, cancellationToken);
            throw new InvalidOperationException("The application failed after logging a change.");
        });
        app.MapPost("/app/error", async (IntegrationBusService service, CancellationToken cancellationToken) =>
        {
            await service.LogChangeAsync(TestConnector.NewContact("error@example.com", id: 9), TaskType.CreateObject, cancellationToken);
            return Results.Problem("The application failed after logging a change.", statusCode: 503);
        });
        await app.StartAsync(TestContext.Current.CancellationToken);
        return new HttpTestHost(app, path, time, kestrel);
    }

    /// <summary>Every task row for a connector and direction (all connectors when null).</summary>
    public async Task<IReadOnlyList<TaskSummary>> TasksAsync(string? connector = null, TaskDirection? direction = TaskDirection.Incoming) =>
        (await Services.GetRequiredService<IntegrationBus.Management.IntegrationBusManagement>().ListTasksAsync(new TaskQuery { Connector = connector, Direction = direction, Limit = 1_000 }, TestContext.Current.CancellationToken)).Items;

    public static string Body(string taskType = "CreateObject", string? email = "ann@example.com", string extra = "") =>
        $$"""{ "taskType": "{{taskType}}", "object": { "email": "{{email}}" }{{extra}} }""";

    public static HttpRequestMessage Incoming(string connector, string body, string? apiKey = CrmKey)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/integration/connectors/{connector}/incoming")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        if (apiKey is not null)
        {
            request.Headers.Add("X-Api-Key", apiKey);
        }

        return request;
    }

    public HttpRequestMessage Signed(string body, long? timestamp = null, string? signedBody = null)
    {
        var request = Incoming("signed", body, SignedKey);
        var ts = (timestamp ?? Time.GetUtcNow().ToUnixTimeSeconds()).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var signature = HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes($"{ts}.{signedBody ?? body}"));
        request.Headers.Add("X-IntegrationBus-Timestamp", ts);
        request.Headers.Add("X-IntegrationBus-Signature", "sha256=" + Convert.ToHexStringLower(signature));
        return request;
    }

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Asserts an RFC 7807 answer: status, problem type, content type, no stack trace.</summary>
    public static async Task<JsonElement> AssertProblemAsync(HttpResponseMessage response, int status, string kind)
    {
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True((int)response.StatusCode == status, $"Expected {status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(text).RootElement.Clone();
        Assert.Equal("https://integrationbus.dev/problems/" + kind, problem.GetProperty("type").GetString());
        Assert.Equal(status, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("title").GetString()));
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()));
        Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", text, StringComparison.Ordinal);
        return problem;
    }

    public static MediaTypeHeaderValue Json => new("application/json");

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
        SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(Path + suffix);
        }
    }
}
