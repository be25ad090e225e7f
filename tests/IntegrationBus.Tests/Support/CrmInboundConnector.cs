
namespace IntegrationBus.Tests.Support;

/// <summary>A contact as the external CRM sends it.</summary>
public sealed record CrmContact(Guid Guid, string Email, string? OwnerCrmId, string? Site = "main");

/// <summary>A connector that accepts CRM contacts and describes the CRM's user IDs as translation records.</summary>
public sealed class CrmInboundConnector(string name, bool relay = false) : Connector(name)
{
    public Dictionary<string, TranslationRecord> Users { get; } = [];

    public override bool RelayIncomingChanges => relay;

    public string? RejectReason { get; set; }

    protected override void Subscribe(SubscriptionBuilder subscriptions) => subscriptions.Objects("crm.contact", SubscriptionMode.AsyncSimple);

    // Outgoing tasks stay queued, so a test can see whether any was logged for this connector.
    protected override Task<TaskResult> ProcessOutgoingAsync(OutgoingTask task, CancellationToken cancellationToken) => Task.FromResult(TaskResult.SkipNow("kept for inspection"));

    protected override ValueTask<InternalObjectResult> PrepareInternalObjectAsync(object externalObject, TaskType taskType, DataType dataType, CancellationToken cancellationToken)
    {
        if (RejectReason is not null || externalObject is not CrmContact contact)
        {
            return ValueTask.FromResult(InternalObjectResult.Reject(RejectReason ?? "Not a CRM contact."));
        }

        var obj = SampleTypes.Create(SampleTypes.Contact, ("ContactGuid", contact.Guid), ("Email", contact.Email), ("UserID", contact.OwnerCrmId), ("SiteName", null));
        return ValueTask.FromResult(InternalObjectResult.Accept(obj));
    }

    protected override ValueTask<TranslationRecord?> GetInternalObjectParamsAsync(ExternalReference reference, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Users.TryGetValue((string)reference.ExternalId, out var record) ? record : null);
}
