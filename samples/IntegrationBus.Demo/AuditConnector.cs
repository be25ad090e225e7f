using IntegrationBus.Connectors;
using IntegrationBus.Subscriptions;

namespace IntegrationBus.Demo;

/// <summary>A synchronous connector: it sees every change inline, with the live object.</summary>
public sealed class AuditConnector : Connector
{
    public AuditConnector()
        : base("audit")
    {
    }

    protected override void Subscribe(SubscriptionBuilder subscriptions) => subscriptions.AllObjects(SubscriptionMode.Sync);

    protected override Task<TaskResult> ProcessSynchronousAsync(SynchronousChange change, CancellationToken cancellationToken)
    {
        Console.WriteLine($"  audit: {change.TaskType} {change.Object}");
        return Task.FromResult(TaskResult.Ok);
    }
}
