using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;

namespace IntegrationBus.OpenTelemetry.Tests.Support;

/// <summary>A connector for contacts whose outgoing results come from a script; it notes the trace each call runs in.</summary>
public sealed class ScriptedConnector(string name, Func<OutgoingTask, TaskResult> behaviour) : Connector(name)
{
    public static readonly ObjectTypeInfo Contact = new ObjectTypeBuilder("crm.contact").Id("ContactID").Guid("ContactGuid").Fields("Email").Build();

    /// <summary>Gets each call's attempt and the trace ID current inside it.</summary>
    public ConcurrentQueue<(int Attempt, ActivityTraceId? TraceId)> Calls { get; } = new();

    public static BusObject NewContact(long id, string email)
    {
        var obj = new BusObject(Contact);
        obj["ContactID"] = id;
        obj["ContactGuid"] = Guid.NewGuid();
        obj["Email"] = email;
        return obj;
    }

    protected override void Subscribe(SubscriptionBuilder subscriptions) => subscriptions.Objects("crm.contact", SubscriptionMode.AsyncSimple);

    protected override Task<TaskResult> ProcessOutgoingAsync(OutgoingTask task, CancellationToken cancellationToken)
    {
        Calls.Enqueue((task.Attempt, Activity.Current?.TraceId));
        return Task.FromResult(behaviour(task));
    }

    protected override ValueTask<InternalObjectResult> PrepareInternalObjectAsync(object externalObject, TaskType taskType, DataType dataType, CancellationToken cancellationToken)
    {
        var json = (JsonElement)externalObject;
        return ValueTask.FromResult(InternalObjectResult.Accept(NewContact(json.GetProperty("id").GetInt64(), json.GetProperty("email").GetString()!)));
    }
}
