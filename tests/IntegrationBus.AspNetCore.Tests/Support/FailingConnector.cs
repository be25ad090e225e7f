namespace IntegrationBus.AspNetCore.Tests.Support;

/// <summary>A connector whose external system refuses every contact with ErrorAndSkip, so its tasks end up skipped (waiting for a retry the fake clock never reaches).</summary>
public sealed class FailingConnector() : Connector(Name)
{
    public new const string Name = "failing";

    protected override void Subscribe(SubscriptionBuilder subscriptions) => subscriptions.Objects("crm.contact", SubscriptionMode.AsyncSimple);

    protected override Task<TaskResult> ProcessOutgoingAsync(OutgoingTask task, CancellationToken cancellationToken) =>
        Task.FromResult(TaskResult.ErrorAndSkip("the external system refused the contact"));
}
