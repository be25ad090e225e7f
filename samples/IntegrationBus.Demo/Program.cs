using IntegrationBus.Demo;
using IntegrationBus.Demo.Content;
using IntegrationBus.Demo.Crm;
using IntegrationBus.Demo.Scenario;
using Microsoft.Data.Sqlite;

// The IntegrationBus demo: a content application (users, polls, articles on EF Core + SQLite, the bus in the same file)
// and an external CRM (its own web server and SQLite database) talking over HTTP on loopback.
//   dotnet run -- --scenario                       scripted changes, CRM outage, push-back, one summary line per connector
//   dotnet run                                     serve on http://localhost:5080 (integration at /integration) and :5081 (CRM)
//   --urls http://127.0.0.1:0 --crm-urls http://127.0.0.1:0 --data <dir>   free ports and a chosen data directory
//   --telemetry console                            print traces and metrics (OTEL_EXPORTER_OTLP_ENDPOINT set: export over OTLP); /health shows the bus's checks
var scenario = args.Contains("--scenario");
var crmUrls = Argument(args, "--crm-urls") ?? "http://localhost:5081";
var temporary = scenario && Argument(args, "--data") is null;
var dataDirectory = Argument(args, "--data")
    ?? Path.Combine(Path.GetTempPath(), temporary ? $"integrationbus-demo-{Guid.NewGuid():N}" : "integrationbus-demo");
if (scenario && Directory.Exists(dataDirectory))
{
    Directory.Delete(dataDirectory, recursive: true);
}

Directory.CreateDirectory(dataDirectory);
var links = new DemoLinks();
var deliveries = new DeliveryLog();
await using var crm = await CrmServer.StartAsync(crmUrls, dataDirectory, links);
await using var content = await ContentApp.StartAsync([.. args.Where(a => a != "--scenario")], dataDirectory, links, deliveries);
Console.WriteLine($"Content app: {links.ContentUrl} (API at /api, integration endpoints at {new Uri(links.ContentUrl!, "/integration")})");
Console.WriteLine($"CRM:         {links.CrmUrl} (admin at /admin)");
Console.WriteLine($"Data:        {dataDirectory}");
if (!scenario)
{
    await content.WaitForShutdownAsync();
    return 0;
}

using var runner = new ScenarioRunner(links, deliveries, TimeSpan.FromSeconds(60));
var exitCode = await runner.RunAsync();
await content.StopAsync();
await crm.StopAsync();
if (temporary)
{
    SqliteConnection.ClearAllPools();
    Directory.Delete(dataDirectory, recursive: true);
}

return exitCode;

static string? Argument(string[] args, string name)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
}
