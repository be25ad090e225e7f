// <quickstart>
using IntegrationBus;
using IntegrationBus.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

var builder = Host.CreateApplicationBuilder(args);
builder.Services.AddIntegrationBus(bus => bus
    .UseSqlite("Data Source=quickstart.db")
    .AddObjectType("crm.contact", type => type.Id("ContactID").Guid("ContactGuid").Fields("Email"))
    .AddConnector<CrmConnector>()
    .UseInternalDataHandler<Contacts>());
using var host = builder.Build();
await host.StartAsync();

// Outgoing: a change in the application is queued durably and delivered to the connector.
var bus = host.Services.GetRequiredService<IntegrationBusService>();
var types = host.Services.GetRequiredService<ObjectTypeRegistry>();
var ada = types.Create("crm.contact", new Dictionary<string, object?> { ["ContactID"] = 1L, ["ContactGuid"] = Guid.NewGuid(), ["Email"] = "ada@example.com" });
await bus.LogChangeAsync(ada, TaskType.CreateObject);

// Incoming: a change from the CRM is queued, converted by the connector and applied by the data handler.
var queued = await bus.ProcessExternalTaskAsync("crm", new CrmContact("grace@example.com"), TaskType.CreateObject, DataType.Simple, siteName: null);
Console.WriteLine($"incoming: {queued.Status}");

var contacts = host.Services.GetRequiredService<Contacts>();
var crm = host.Services.GetRequiredService<CrmConnector>();
await Task.WhenAll(crm.Delivered.Task, contacts.Applied.Task).WaitAsync(TimeSpan.FromSeconds(30));
await host.StopAsync();

public sealed record CrmContact(string Email);

public sealed class CrmConnector(ObjectTypeRegistry types) : Connector("crm")
{
    public TaskCompletionSource Delivered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    protected override void Subscribe(SubscriptionBuilder subscriptions) =>
        subscriptions.Objects("crm.contact", SubscriptionMode.AsyncSimple);

    protected override Task<TaskResult> ProcessOutgoingAsync(OutgoingTask task, CancellationToken cancellationToken)
    {
        Console.WriteLine($"outgoing: {task.TaskType} {task.Object.GetString("Email")} delivered");
        Delivered.TrySetResult();
        return Task.FromResult(TaskResult.Ok);
    }

    protected override ValueTask<InternalObjectResult> PrepareInternalObjectAsync(object externalObject, TaskType taskType, DataType dataType, CancellationToken cancellationToken)
    {
        var contact = (CrmContact)externalObject;
        var internalObject = types.Create("crm.contact", new Dictionary<string, object?> { ["ContactGuid"] = Guid.NewGuid(), ["Email"] = contact.Email });
        return ValueTask.FromResult(InternalObjectResult.Accept(internalObject));
    }
}

public sealed class Contacts : IInternalDataHandler
{
    public TaskCompletionSource Applied { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<long?> FindObjectIdAsync(ObjectLookup lookup, CancellationToken cancellationToken) => Task.FromResult<long?>(null);

    public Task<TaskResult> ApplyAsync(IncomingTask task, CancellationToken cancellationToken)
    {
        Console.WriteLine($"incoming: {task.TaskType} {task.Object.GetString("Email")} applied");
        Applied.TrySetResult();
        return Task.FromResult(TaskResult.Ok);
    }
}
// </quickstart>
