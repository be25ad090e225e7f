using IntegrationBus.Demo;
using IntegrationBus.Demo.Content;
using IntegrationBus.Demo.Crm;
using IntegrationBus.Demo.Operate;
using IntegrationBus.Demo.Scenario;
using IntegrationBus.Demo.Writer;

// The IntegrationBus demo: a content application (users, polls, articles on EF Core + SQLite, the bus in the same file)
// and an external CRM (its own web server and SQLite database) talking over HTTP on loopback.
//   dotnet run -- --scenario                       scripted changes, CRM outage, push-back, one summary line per connector
//   dotnet run                                     serve on http://localhost:5080 (integration at /integration, the dashboard at
//                                                  /integration/admin behind a demo login printed at start) and :5081 (CRM)
//   --urls http://127.0.0.1:0 --crm-urls http://127.0.0.1:0 --data <dir>   free ports and a chosen data directory
//   --postgresql "Host=…;Username=…;Database=…"    the content app and the bus on PostgreSQL instead of SQLite (schema
//                                                  integrationbus_demo; a scenario run uses a fresh schema and drops it)
//   --external-writer                              no web servers: a producer-only process on the same database queues a
//                                                  CRM edit of every user and exits; the content app applies them
//   --telemetry console                            print traces and metrics (OTEL_EXPORTER_OTLP_ENDPOINT set: export over OTLP); /health shows the bus's checks
var scenario = args.Contains("--scenario");
var postgreSql = Argument(args, "--postgresql");
var crmUrls = Argument(args, "--crm-urls") ?? "http://localhost:5081";
var temporary = scenario && Argument(args, "--data") is null;
var dataDirectory = Argument(args, "--data")
    ?? Path.Combine(Path.GetTempPath(), temporary ? $"integrationbus-demo-{Guid.NewGuid():N}" : "integrationbus-demo");
if (scenario && Directory.Exists(dataDirectory))
{
    Directory.Delete(dataDirectory, recursive: true);
}

Directory.CreateDirectory(dataDirectory);
var database = postgreSql is null
    ? DemoDatabase.Sqlite(dataDirectory)
    : DemoDatabase.PostgreSql(postgreSql, scenario ? $"{DemoDatabase.ServedSchema}_{Guid.NewGuid():N}" : DemoDatabase.ServedSchema);
if (args.Contains("--external-writer"))
{
    Console.WriteLine($"External writer on {database.Description}, producer-only:");
    return await ExternalWriter.RunAsync(dataDirectory, database, CancellationToken.None);
}
var links = new DemoLinks();
var deliveries = new DeliveryLog();
var access = new DemoAccess();   // made-up passwords and token, new at every start
await using var crm = await CrmServer.StartAsync(crmUrls, dataDirectory, links);
await using var content = await ContentApp.StartAsync(WithoutDemoOptions(args), dataDirectory, database, links, deliveries, access);
Console.WriteLine($"Content app: {links.ContentUrl} (API at /api, integration endpoints at {new Uri(links.ContentUrl!, "/integration")})");
Console.WriteLine($"CRM:         {links.CrmUrl} (admin at /admin)");
Console.WriteLine($"Data:        {dataDirectory}");
Console.WriteLine($"Database:    {database.Description}");
var dashboard = new Uri(links.ContentUrl!, DemoAccess.DashboardPath + "/");
Console.WriteLine($"Dashboard:   {dashboard} (sign in as admin / {access.AdminPassword} to operate, viewer / {access.ViewerPassword} to look)");
Console.WriteLine($"ibus:        ibus --url {new Uri(links.ContentUrl!, DemoAccess.DashboardPath)} --token {access.Token} status");
if (!scenario)
{
    await content.WaitForShutdownAsync();
    return 0;
}

using var runner = new ScenarioRunner(links, deliveries, TimeSpan.FromSeconds(60));
var exitCode = await runner.RunAsync();
await content.StopAsync();
await crm.StopAsync();
await database.DropAsync(CancellationToken.None);   // the scenario's PostgreSQL schema; for SQLite, the pooled handles on the file
if (temporary)
{
    Directory.Delete(dataDirectory, recursive: true);
}

return exitCode;

// The web host gets the rest (--urls and any ASP.NET Core setting); the connection string stays out of its configuration.
static string[] WithoutDemoOptions(string[] args)
{
    var rest = new List<string>();
    for (var i = 0; i < args.Length; i++)
    {
        if (args[i] == "--postgresql")
        {
            i++;
        }
        else if (args[i] != "--scenario")
        {
            rest.Add(args[i]);
        }
    }

    return [.. rest];
}

static string? Argument(string[] args, string name)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
}
