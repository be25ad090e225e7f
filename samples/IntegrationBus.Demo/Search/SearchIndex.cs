using System.Collections.Concurrent;
using IntegrationBus.Demo.Scenario;

namespace IntegrationBus.Demo.Search;

/// <summary>An in-process search index: it deduplicates by the bus task's GUID and records what it received.</summary>
public sealed class SearchIndex(DeliveryLog deliveries)
{
    private readonly ConcurrentDictionary<Guid, SearchDocument> _documents = new();

    public IReadOnlyCollection<SearchDocument> Documents => [.. _documents.Values];

    public void Upsert(Guid idempotencyKey, SearchDocument document, long sequence)
    {
        if (deliveries.Record(DemoConnectors.Search, new Delivery(idempotencyKey.ToString("N"), document.NodeGuid.ToString("N"), sequence)))
        {
            _documents.AddOrUpdate(document.NodeGuid, document, (_, old) => document with { Published = document.Published || old.Published });
        }
    }

    public void Remove(Guid idempotencyKey, Guid nodeGuid)
    {
        if (deliveries.Record(DemoConnectors.Search, new Delivery(idempotencyKey.ToString("N"), nodeGuid.ToString("N"), Delivery.Deleted)))
        {
            _documents.TryRemove(nodeGuid, out _);
        }
    }
}
