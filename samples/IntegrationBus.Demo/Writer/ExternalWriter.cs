using System.Text.Json;
using IntegrationBus.Demo.Content;
using IntegrationBus.Demo.Scenario;
using Microsoft.EntityFrameworkCore;

namespace IntegrationBus.Demo.Writer;

/// <summary>
/// The external writer (<c>--external-writer</c>): a second process on the content app's database, with the same bus
/// registration but producer-only (<see cref="IntegrationBusOptions.ProducerOnly"/>), that queues a CRM edit of every
/// user through <see cref="IntegrationBusService.ProcessExternalTaskAsync"/> and exits. It runs no queue: the content
/// app applies the edits, in order, when it runs (at once if it is up, when it starts if it is down).
/// </summary>
public static class ExternalWriter
{
    public static async Task<int> RunAsync(string dataDirectory, DemoDatabase database, CancellationToken cancellationToken)
    {
        await database.EnsureCreatedAsync(new DeliveryLog(), cancellationToken);
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning);
        ContentApp.AddServices(builder.Services, dataDirectory, database, new DemoLinks(), new DeliveryLog(), producerOnly: true);
        using var host = builder.Build();
        await host.StartAsync(cancellationToken);

        List<User> users;
        await using (var scope = host.Services.CreateAsyncScope())
        {
            users = await scope.ServiceProvider.GetRequiredService<AppDb>().Users.AsNoTracking().OrderBy(u => u.UserId).ToListAsync(cancellationToken);
        }

        var bus = host.Services.GetRequiredService<IntegrationBusService>();
        var queued = 0;
        foreach (var user in users)
        {
            // What the CRM would post to /integration/connectors/crm/incoming, queued straight into the shared database.
            var contact = JsonSerializer.SerializeToElement(new { guid = user.UserGuid, fullName = $"{user.FullName} (edited in the CRM)", crmVersion = user.CrmVersion + 1 });
            var result = await bus.ProcessExternalTaskAsync(DemoConnectors.CrmIncoming, contact, TaskType.UpdateObject, DataType.Simple, siteName: null, cancellationToken: cancellationToken);
            Console.WriteLine($"   {user.UserName}: {result.Status}{(result.IsQueued ? $" as task {result.TaskId}" : $" ({result.Message})")}");
            queued += result.IsQueued ? 1 : 0;
        }

        await host.StopAsync(cancellationToken);
        Console.WriteLine(users.Count == 0
            ? "No users yet: create some in the content app first (POST /api/users)."
            : $"Queued {queued} CRM edits for the content app; it applies them when it runs (GET /api/users/<id> shows them).");
        return users.Count > 0 && queued == users.Count ? 0 : 1;
    }
}
