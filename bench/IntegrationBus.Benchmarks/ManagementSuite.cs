using System.Diagnostics;
using System.Globalization;
using IntegrationBus.AspNetCore;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IntegrationBus.Benchmarks;

/// <summary>
/// Figure 13: the operator's first requests with big queues. 1,000,000 tasks queued for one connector, and again
/// with every task for 4 connectors (4,000,000 queue entries); each time a real Kestrel application on the same store (producer only, so nothing drains)
/// with <c>MapIntegrationBusManagement</c> answers <c>GET api/queues</c> (the overview) and <c>GET api/tasks</c> (the
/// first page of 50, the dashboard's default), and the first page of one connector's errored tasks.
/// </summary>
internal static class ManagementSuite
{
    private const int Requests = 20;

    public static async Task RunAsync(BenchContext ctx)
    {
        await RunAsync(ctx, 1, "13");
        await RunAsync(ctx, 4, "13b");
    }

    private static async Task RunAsync(BenchContext ctx, int connectors, string figure)
    {
        var queued = 1_000_000 / ctx.Scale;
        await using var seed = await BenchBus.CreateAsync(connectors, store: ctx.Store);
        var stopwatch = Stopwatch.StartNew();
        await seed.LogAsync(1, queued, 1_000);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  seeded {queued:N0} tasks x {connectors} connectors in {stopwatch.Elapsed.TotalSeconds:F0} s"));

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Services.AddIntegrationBus(bus =>
        {
            ctx.Store.Use(bus, seed.Path);
            bus.AddObjectType(BenchTypes.Item).Configure(o => o.ProducerOnly = true);
            foreach (var connector in seed.Connectors)
            {
                bus.AddConnector(new BenchConnector(connector.Name));
            }
        });
        builder.Services.AddIntegrationBusManagementApi();
        await using var app = builder.Build();
        app.MapIntegrationBusManagement("/admin", o => o.AllowAnonymous = true);
        await app.StartAsync();
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = address };

        var overview = await TimeAsync(http, "/admin/api/queues");
        var firstPage = await TimeAsync(http, "/admin/api/tasks?limit=50");
        var connectorPage = await TimeAsync(http, $"/admin/api/tasks?connector=bench{connectors}&direction=Outgoing&status=Error&limit=50");
        var count = await TimeAsync(http, "/admin/api/tasks/count?connector=bench1&direction=Outgoing");
        await app.StopAsync();

        var first = figure == "13";
        ctx.Table.Add(figure, $"Overview (GET api/queues), {queued:N0} queued x {connectors}", $"{overview.P50:F1} ms p50", $"max {overview.Max:F1} ms", "< 200 ms", overview.P50 < 200);
        ctx.Table.Add(figure, "First task page (GET api/tasks, 50)", $"{firstPage.P50:F1} ms p50", $"max {firstPage.Max:F1} ms", "< 200 ms", firstPage.P50 < 200);
        ctx.Table.Add(figure, "Errored tasks of one connector, first page", $"{connectorPage.P50:F1} ms p50", $"max {connectorPage.Max:F1} ms", "", null);
        ctx.Table.Add(figure, "Count of one queue (bulk-action dry run)", $"{count.P50:F1} ms p50", $"max {count.Max:F1} ms", "", null);
        var key = first ? "management" : "management_x4";
        ctx.Json[key + "_queued"] = queued;
        ctx.Json[key + "_overview_p50_ms"] = Math.Round(overview.P50, 2);
        ctx.Json[key + "_first_page_p50_ms"] = Math.Round(firstPage.P50, 2);
        ctx.Json[key + "_connector_errors_page_p50_ms"] = Math.Round(connectorPage.P50, 2);
        ctx.Json[key + "_count_p50_ms"] = Math.Round(count.P50, 2);
    }

    /// <summary>One warm-up request, then <see cref="Requests"/> sequential requests; each must answer 200.</summary>
    private static async Task<(double P50, double Max)> TimeAsync(HttpClient http, string path)
    {
        var latencies = new List<double>();
        for (var i = 0; i <= Requests; i++)
        {
            var start = Stopwatch.GetTimestamp();
            using var response = await http.GetAsync(new Uri(path, UriKind.Relative));
            var body = await response.Content.ReadAsStringAsync();
            var elapsed = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"GET {path} answered {(int)response.StatusCode}: {body}");
            }

            if (i > 0)
            {
                latencies.Add(elapsed);
            }
        }

        latencies.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  GET {path}: p50 {BenchContext.Percentile(latencies, 0.5):F1} ms, max {latencies[^1]:F1} ms"));
        return (BenchContext.Percentile(latencies, 0.5), latencies[^1]);
    }
}
