using IntegrationBus.Connectors;
using IntegrationBus.Subscriptions;

namespace IntegrationBus.Demo;

/// <summary>Sends users to the CRM, asynchronously and in order; a refused call is an Error, so the queue waits and retries.</summary>
public sealed class CrmConnector(FakeCrm crm) : Connector("crm")
{
    public override string DisplayName => "Demo CRM";

    protected override void Subscribe(SubscriptionBuilder subscriptions) =>
        subscriptions.Objects("demo.user", SubscriptionMode.AsyncSimple);

    protected override async Task<TaskResult> ProcessOutgoingAsync(OutgoingTask task, CancellationToken cancellationToken) =>
        await crm.UpsertContactAsync(task.Object.Id, task.Object.GetString("Email") ?? "", task.Guid, cancellationToken)
            ? TaskResult.Ok
            : TaskResult.Error("CRM is unavailable");
}
