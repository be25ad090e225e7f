using System.Diagnostics;
using IntegrationBus.AspNetCore;
using IntegrationBus.Sqlite;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Trace;

namespace IntegrationBus.OpenTelemetry.Tests.Support;

/// <summary>
/// A web application on a TestServer with a bus on a SQLite file (which may outlive it, for restarts), OpenTelemetry
/// tracing with the bus's instrumentation and ASP.NET Core's source, exported to an in-memory list the test owns.
/// </summary>
public sealed class TraceHost : IAsyncDisposable
{
    public const string ApiKey = "crm-key-0123456789";

    private readonly WebApplication _app;

    private TraceHost(WebApplication app, LogSignals signals)
    {
        _app = app;
        Signals = signals;
        Client = app.GetTestClient();
    }

    public HttpClient Client { get; }

    public LogSignals Signals { get; }

    public static async Task<TraceHost> StartAsync(string path, Connector connector, List<Activity> exported, SpanSignals spans, IInternalDataHandler? handler = null)
    {
        var signals = new LogSignals();
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders().SetMinimumLevel(LogLevel.Debug).AddProvider(signals);
        builder.Services.AddIntegrationBus(bus =>
        {
            bus.UseSqlite($"Data Source={path}")
                .AddObjectType(ScriptedConnector.Contact)
                .AddConnector(connector)
                .Configure(o => (o.RetryDelay, o.MaxRetryDelay) = (TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(400)));
            if (handler is not null)
            {
                bus.Services.AddSingleton(handler);
                bus.Services.AddSingleton<IInternalDataHandler>(handler);
            }
        });
        builder.Services.AddIntegrationBusHttp(o =>
        {
            o.Connectors[connector.Name] = new IntegrationBusHttpCredentials();
            o.Connectors[connector.Name].ApiKeys.Add(ApiKey);
        });
        builder.Services.AddOpenTelemetry().WithTracing(tracing => tracing
            .AddIntegrationBusInstrumentation()
            .AddSource("Microsoft.AspNetCore")
            .AddInMemoryExporter(exported)
            .AddProcessor(spans));

        var app = builder.Build();
        app.UseIntegrationBusScope();
        app.MapIntegrationBus("/integration");
        app.MapPost("/app/contacts/{id:long}", async (long id, IntegrationBusService bus, CancellationToken cancellationToken) =>
        {
            await bus.LogChangeAsync(ScriptedConnector.NewContact(id, $"c{id}@example.com"), TaskType.CreateObject, cancellationToken);
            return Results.Ok();
        });
        await app.StartAsync(TestContext.Current.CancellationToken);
        return new TraceHost(app, signals);
    }

    public static string NewPath() => Path.Combine(Path.GetTempPath(), $"ibus-otel-{Guid.NewGuid():N}.db");

    public static void DeleteDatabase(string path)
    {
        SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(path + suffix);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }
}
