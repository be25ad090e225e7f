using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using IntegrationBus.AspNetCore;
using IntegrationBus.Sqlite;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IntegrationBus.Benchmarks;

/// <summary>A real Kestrel web application on 127.0.0.1 (port 0) with the bus's incoming endpoint and an API key.</summary>
internal sealed class IncomingHttp : IAsyncDisposable
{
    public const string ConnectorName = "bench1";
    private const string ApiKey = "bench-api-key-0123456789";
    private readonly WebApplication _app;
    private readonly string _path;

    private IncomingHttp(WebApplication app, string path, Uri address)
    {
        _app = app;
        _path = path;
        Address = address;
    }

    public Uri Address { get; }

    public IntegrationBusService Bus => _app.Services.GetRequiredService<IntegrationBusService>();

    public Management.IntegrationBusManagement Management => _app.Services.GetRequiredService<Management.IntegrationBusManagement>();

    /// <summary>Starts the application with incoming processing switched off (stored setting), so only intake runs.</summary>
    public static async Task<IncomingHttp> StartAsync()
    {
        var path = Path.Combine(Path.GetTempPath(), $"ibus-bench-http-{Guid.NewGuid():N}.db");
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Services.AddIntegrationBus(bus => bus
            .UseSqlite($"Data Source={path}")
            .AddObjectType(BenchTypes.Item)
            .AddConnector(new BenchConnector(ConnectorName))
            .UseInternalDataHandler<BenchDataHandler>());
        builder.Services.AddIntegrationBusHttp(http =>
        {
            var credentials = new IntegrationBusHttpCredentials();
            credentials.ApiKeys.Add(ApiKey);
            http.Connectors[ConnectorName] = credentials;
        });
        var app = builder.Build();
        app.UseIntegrationBusScope();
        app.MapIntegrationBus("/integration");
        await app.Services.GetRequiredService<Management.IntegrationBusManagement>().UpdateSettingsAsync(new BusSettings(ProcessIncoming: false));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new IncomingHttp(app, path, new Uri(address));
    }

    /// <summary>The request body of one incoming CreateObject task for item <paramref name="id"/>.</summary>
    public static byte[] Body(long id)
    {
        var n = id.ToString(CultureInfo.InvariantCulture);
        var text = "{\"taskType\":\"CreateObject\",\"dataType\":\"Simple\",\"object\":{\"ItemID\":" + n + ",\"ItemGuid\":\"" + Guid.NewGuid()
            + "\",\"ItemName\":\"item" + n + "\",\"ItemTitle\":\"Item number " + n + "\",\"Email\":\"item" + n + "@example.com\",\"Price\":12.5}}";
        return Encoding.UTF8.GetBytes(text);
    }

    /// <summary>Posts <paramref name="bodies"/> with <paramref name="clients"/> concurrent HttpClients; returns the elapsed time and the sorted latencies (ms).</summary>
    public async Task<(TimeSpan Elapsed, List<double> LatenciesMs)> PostAllAsync(byte[][] bodies, int clients)
    {
        var uri = new Uri(Address, $"/integration/connectors/{ConnectorName}/incoming");
        var http = Enumerable.Range(0, clients).Select(_ => new HttpClient(new SocketsHttpHandler { UseProxy = false })).ToArray();
        var latencies = new double[bodies.Length];
        var next = -1;
        try
        {
            var stopwatch = Stopwatch.StartNew();
            await Task.WhenAll(http.Select(client => Task.Run(async () =>
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < bodies.Length)
                {
                    using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new ByteArrayContent(bodies[i]) };
                    request.Content.Headers.ContentType = new("application/json");
                    request.Headers.Add("X-Api-Key", ApiKey);
                    var start = Stopwatch.GetTimestamp();
                    using var response = await client.SendAsync(request);
                    latencies[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                    if (response.StatusCode != HttpStatusCode.Accepted)
                    {
                        throw new InvalidOperationException($"Request {i} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                    }
                }
            })));
            var elapsed = stopwatch.Elapsed;
            return (elapsed, [.. latencies.Order()]);
        }
        finally
        {
            foreach (var client in http)
            {
                client.Dispose();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(_path + suffix);
        }
    }
}
