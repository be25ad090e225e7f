using System.Collections.Concurrent;

namespace IntegrationBus.Demo.Scenario;

/// <summary>What the in-process targets received (search index, audit log, incoming users), in arrival order, first arrival of each key only.</summary>
public sealed class DeliveryLog
{
    private readonly ConcurrentDictionary<string, List<Delivery>> _byConnector = new(StringComparer.Ordinal);

    /// <summary>Records a delivery; false when its key arrived before (a repeat is not a new delivery).</summary>
    public bool Record(string connector, Delivery delivery)
    {
        var list = _byConnector.GetOrAdd(connector, _ => []);
        lock (list)
        {
            if (list.Any(d => d.Key == delivery.Key))
            {
                return false;
            }

            list.Add(delivery);
            return true;
        }
    }

    public IReadOnlyList<Delivery> Get(string connector)
    {
        if (!_byConnector.TryGetValue(connector, out var list))
        {
            return [];
        }

        lock (list)
        {
            return [.. list];
        }
    }
}
