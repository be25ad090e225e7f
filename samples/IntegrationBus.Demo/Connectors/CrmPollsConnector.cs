using IntegrationBus.Demo.Crm;

namespace IntegrationBus.Demo.Connectors;

/// <summary>Polls → CRM, as a Snapshot: the poll with its answers (children) and its roles (bindings, translated to CRM segments).</summary>
public sealed class CrmPollsConnector(CrmClient crm) : Connector(DemoConnectors.CrmPolls)
{
    public override string DisplayName => "CRM polls";

    protected override void Subscribe(SubscriptionBuilder subscriptions) =>
        subscriptions.Objects("demo.poll", SubscriptionMode.AsyncSnapshot);

    protected override async Task<TaskResult> ProcessOutgoingAsync(OutgoingTask task, CancellationToken cancellationToken)
    {
        var poll = task.Object;
        var guid = poll.Guid ?? throw new InvalidOperationException($"Poll {poll.Id} has no GUID.");
        if (task.TaskType == TaskType.DeleteObject)
        {
            return await crm.DeletePollAsync(guid, task.Guid, cancellationToken) ? TaskResult.Ok : TaskResult.Error("The CRM did not accept the delete.");
        }

        await TranslateColumnsToExternalAsync(task, cancellationToken);   // binding rows: role ID → CRM segment ID
        var answers = task.Snapshot.Children
            .Select(a => new CrmPollAnswer(a.Object.Guid ?? Guid.Empty, a.Object.GetString("Text") ?? "", (int)(a.Object.GetInt64("Position") ?? 0)))
            .OrderBy(a => a.Position)
            .ToList();
        var segments = task.Snapshot.Bindings
            .Select(b => b.Object.GetInt64(b.Object.Type.ForeignKeys[0].Field))
            .OfType<long>()
            .ToList();
        var body = new CrmPoll(poll.CodeName ?? "", poll.GetString("Question") ?? "", (int)(poll.GetInt64("Version") ?? 0), answers, segments);
        return await crm.PutPollAsync(guid, body, task.Guid, cancellationToken) ? TaskResult.Ok : TaskResult.Error("The CRM did not accept the poll.");
    }

    protected override async ValueTask<ExternalId?> GetExternalObjectIdAsync(TranslationRecord reference, CancellationToken cancellationToken) =>
        reference.ObjectType == "demo.role" && reference.CodeName is { } code
            ? await crm.EnsureSegmentAsync(code, cancellationToken)
            : null;
}
