using IntegrationBus.Demo.Scenario;
using IntegrationBus.Demo.Search;

namespace IntegrationBus.Demo.Connectors;

/// <summary>Articles (pages) → the search index, asynchronously (SimpleSnapshot), with their tags, categories and attachments.</summary>
public sealed class SearchConnector(SearchIndex index) : Connector(DemoConnectors.Search)
{
    public override string DisplayName => "Search index";

    protected override void Subscribe(SubscriptionBuilder subscriptions) =>
        subscriptions.PagesOfClasses(SubscriptionMode.AsyncSimpleSnapshot, "Demo.Article");

    protected override Task<TaskResult> ProcessOutgoingAsync(OutgoingTask task, CancellationToken cancellationToken)
    {
        var page = task.Object;
        var node = page.NodeGuid ?? throw new InvalidOperationException($"Page {page.Id} has no node GUID.");
        if (task.TaskType is TaskType.DeletePage or TaskType.DeleteAllCultures)
        {
            index.Remove(task.Guid, node);
            return Task.FromResult(TaskResult.Ok);
        }

        var publish = task.TaskType == TaskType.PublishPage;
        var document = new SearchDocument(node, page.AliasPath ?? "", page.GetString("Title") ?? "", List(page, "Tags"), List(page, "Categories"), List(page, "Attachments"), publish);
        index.Upsert(task.Guid, document, Delivery.SequenceOf(page.GetInt64("Version") ?? 0, publish));
        return Task.FromResult(TaskResult.Ok);
    }

    private static List<string> List(BusObject page, string field) =>
        page[field] is IEnumerable<object?> values ? [.. values.Select(v => v?.ToString() ?? "")] : [];
}
