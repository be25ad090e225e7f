using IntegrationBus.Demo.Crm;

namespace IntegrationBus.Demo.Connectors;

/// <summary>
/// Users → CRM contacts, asynchronously with translation records (SimpleSnapshot): the user's role becomes the CRM's
/// segment ID through <see cref="Connector.TranslateColumnsToExternalAsync"/> and <see cref="GetExternalObjectIdAsync"/>.
/// </summary>
public sealed class CrmUsersConnector(CrmClient crm) : Connector(DemoConnectors.CrmUsers)
{
    public override string DisplayName => "CRM contacts (from users)";

    protected override void Subscribe(SubscriptionBuilder subscriptions) =>
        subscriptions.Objects("demo.user", SubscriptionMode.AsyncSimpleSnapshot);

    protected override async Task<TaskResult> ProcessOutgoingAsync(OutgoingTask task, CancellationToken cancellationToken)
    {
        var user = task.Object;
        var contact = user.Guid ?? throw new InvalidOperationException($"User {user.Id} has no GUID.");
        if (task.TaskType == TaskType.DeleteObject)
        {
            return await crm.DeleteContactAsync(contact, task.Guid, cancellationToken) ? TaskResult.Ok : TaskResult.Error("The CRM did not accept the delete.");
        }

        await TranslateColumnsToExternalAsync(task, cancellationToken);   // RoleId: internal role ID → CRM segment ID
        var body = new CrmContact(user.GetString("Email") ?? "", user.GetString("FullName") ?? "", user.GetInt64("RoleId"), (int)(user.GetInt64("Version") ?? 0));
        return await crm.PutContactAsync(contact, body, task.Guid, cancellationToken) ? TaskResult.Ok : TaskResult.Error("The CRM did not accept the contact.");
    }

    protected override async ValueTask<ExternalId?> GetExternalObjectIdAsync(TranslationRecord reference, CancellationToken cancellationToken) =>
        reference.ObjectType == "demo.role" && reference.CodeName is { } code
            ? await crm.EnsureSegmentAsync(code, cancellationToken)
            : null;
}
