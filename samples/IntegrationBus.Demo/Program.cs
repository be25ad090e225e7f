using IntegrationBus.Demo;
using IntegrationBus.Hosting;
using IntegrationBus.Model;
using IntegrationBus.Outgoing;
using IntegrationBus.Sqlite;
using IntegrationBus.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

// The demo: log user changes, see them delivered to a CRM, take the CRM down, see tasks fail and wait,
// bring it back, see them retried and delivered in order. Runs on the embedded SQLite store.
var databasePath = Path.Combine(Path.GetTempPath(), $"integrationbus-demo-{Environment.ProcessId}.db");
var builder = Host.CreateApplicationBuilder(args);
builder.Logging.ClearProviders();
builder.Logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning);
builder.Services.AddSingleton<FakeCrm>();
builder.Services.AddIntegrationBus(bus => bus
    .UseSqlite($"Data Source={databasePath}")
    .AddObjectType("demo.user", t => t.Id("UserID").Guid("UserGuid").CodeName("UserName").Fields("Email"))
    .AddConnector<CrmConnector>()
    .AddConnector<AuditConnector>()
    .Configure(o => o.RetryDelay = TimeSpan.FromMilliseconds(250)));

using var host = builder.Build();
await host.StartAsync();
var integration = host.Services.GetRequiredService<IntegrationBusService>();
var crm = host.Services.GetRequiredService<FakeCrm>();
var userType = integration.Types.Get("demo.user");
var made = new List<long>();

async Task ChangeUsersAsync(int from, int count)
{
    await using var scope = integration.BeginScope();
    for (var id = from; id < from + count; id++)
    {
        var user = new BusObject(userType) { ["UserID"] = id, ["UserGuid"] = Guid.NewGuid(), ["UserName"] = $"user{id}", ["Email"] = $"user{id}@example.com" };
        await scope.LogChangeAsync(user, TaskType.CreateObject);
        made.Add(id);
    }

    await scope.CompleteAsync();
}

async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout)
{
    using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
    var deadline = TimeProvider.System.GetUtcNow() + timeout;
    while (!condition() && TimeProvider.System.GetUtcNow() < deadline)
    {
        await timer.WaitForNextTickAsync();
    }
}

Console.WriteLine("1. The CRM is up: three users are created and delivered.");
await ChangeUsersAsync(1, 3);
await WaitUntilAsync(() => crm.Received.Count == 3, TimeSpan.FromSeconds(10));

Console.WriteLine("2. The CRM goes down: three more users are logged; delivery fails and the queue waits.");
crm.IsUp = false;
await ChangeUsersAsync(4, 3);
await Task.Delay(TimeSpan.FromSeconds(1.5));
var store = host.Services.GetRequiredService<ITaskStore>();
var waiting = await store.CountAsync(new TaskQuery("crm"), default);
Console.WriteLine($"   tasks waiting for the CRM: {waiting}");

Console.WriteLine("3. The CRM comes back: the retry timer delivers the waiting tasks, in order.");
crm.IsUp = true;
await WaitUntilAsync(() => crm.Received.Count >= made.Count, TimeSpan.FromSeconds(20));

var delivered = crm.Received.Distinct().ToList();
var lost = made.Except(delivered).Count();
var orderViolations = delivered.Zip(delivered.Skip(1)).Count(pair => pair.First > pair.Second);
Console.WriteLine($"crm: changes {made.Count}, delivered {delivered.Count}, lost {lost}, order violations {orderViolations}");
await host.StopAsync();
foreach (var suffix in new[] { "", "-wal", "-shm" })
{
    File.Delete(databasePath + suffix);
}

return lost == 0 && orderViolations == 0 ? 0 : 1;
