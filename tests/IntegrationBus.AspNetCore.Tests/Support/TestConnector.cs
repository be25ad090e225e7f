using System.Text.Json;

namespace IntegrationBus.AspNetCore.Tests.Support;

/// <summary>A connector that reads contacts from JSON, subscribes to contacts and keeps its outgoing tasks queued for inspection.</summary>
public sealed class TestConnector(string name) : Connector(name)
{
    public static readonly ObjectTypeInfo Contact = new ObjectTypeBuilder("crm.contact")
        .Id("ContactID").Guid("ContactGuid").Site("SiteName").Fields("Email").Build();

    public static readonly ObjectTypeInfo Article = new ObjectTypeBuilder("content.article")
        .Id("DocumentID").AsPage("content.article", p => p.ParentNode("NodeParentID")).Site("SiteName").Fields("Title").Build();

    public List<JsonElement> Received { get; } = [];

    protected override void Subscribe(SubscriptionBuilder subscriptions) => subscriptions.Objects("crm.contact", SubscriptionMode.AsyncSimple);

    protected override Task<TaskResult> ProcessOutgoingAsync(OutgoingTask task, CancellationToken cancellationToken) =>
        Task.FromResult(TaskResult.SkipNow("kept for inspection"));

    protected override ValueTask<InternalObjectResult> PrepareInternalObjectAsync(object externalObject, TaskType taskType, DataType dataType, CancellationToken cancellationToken)
    {
        var json = (JsonElement)externalObject;
        lock (Received)
        {
            Received.Add(json);
        }

        if (json.TryGetProperty("throw", out var secret))
        {
            throw new InvalidOperationException(secret.GetString());
        }

        if (json.TryGetProperty("reject", out var reason))
        {
            return ValueTask.FromResult(InternalObjectResult.Reject(reason.GetString()!));
        }

        var obj = NewContact(json.TryGetProperty("email", out var email) ? email.GetString()! : "someone@example.com");
        return ValueTask.FromResult(InternalObjectResult.Accept(obj));
    }

    public static BusObject NewContact(string email, long id = 0)
    {
        var obj = new BusObject(Contact);
        obj["ContactGuid"] = Guid.NewGuid();
        obj["Email"] = email;
        obj["SiteName"] = null;
        if (id != 0)
        {
            obj["ContactID"] = id;
        }

        return obj;
    }
}
