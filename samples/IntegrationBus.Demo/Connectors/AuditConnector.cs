using IntegrationBus.Demo.Scenario;

namespace IntegrationBus.Demo.Connectors;

/// <summary>A synchronous connector: called right after each change of a user or poll commits, with the live object; writes an audit line to the console and to audit.log.</summary>
public sealed class AuditConnector(AuditLogFile file, DeliveryLog deliveries) : Connector(DemoConnectors.Audit)
{
    public override string DisplayName => "Audit log";

    protected override void Subscribe(SubscriptionBuilder subscriptions) => subscriptions
        .Objects("demo.user", SubscriptionMode.Sync)
        .Objects("demo.poll", SubscriptionMode.Sync);

    protected override async Task<TaskResult> ProcessSynchronousAsync(SynchronousChange change, CancellationToken cancellationToken)
    {
        var obj = change.Object;
        var version = obj.GetInt64("Version") ?? 0;
        var deleted = change.TaskType == TaskType.DeleteObject;
        var objectKey = obj.Guid?.ToString("N") ?? obj.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        deliveries.Record(Name, new Delivery($"{objectKey}:{change.TaskType}:{version}", objectKey, deleted ? Delivery.Deleted : Delivery.SequenceOf(version)));
        await file.WriteAsync($"audit: {change.TaskType} {obj.TypeName} {obj.CodeName} v{version}", cancellationToken);
        return TaskResult.Ok;
    }
}
