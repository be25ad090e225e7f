
namespace IntegrationBus;

/// <summary>
/// Matches a change against every connector's subscriptions. Subscriptions limited to an exact type (or page
/// class) are found by dictionary look-up, so their number for unrelated types does not slow matching.
/// </summary>
internal sealed class SubscriptionIndex
{
    private static readonly Entry[] NoEntries = [];
    private readonly Dictionary<string, Entry[]> _byObjectType;
    private readonly Entry[] _anyObjectType;
    private readonly Dictionary<string, Entry[]> _byPageClass;
    private readonly Entry[] _anyPageClass;
    private readonly int _connectorCount;

    public SubscriptionIndex(IReadOnlyList<IReadOnlyList<Subscription>> subscriptionsByConnector)
    {
        _connectorCount = subscriptionsByConnector.Count;
        var byObjectType = new Dictionary<string, List<Entry>>(StringComparer.OrdinalIgnoreCase);
        var byPageClass = new Dictionary<string, List<Entry>>(StringComparer.OrdinalIgnoreCase);
        var anyObjectType = new List<Entry>();
        var anyPageClass = new List<Entry>();
        for (var connector = 0; connector < subscriptionsByConnector.Count; connector++)
        {
            foreach (var subscription in subscriptionsByConnector[connector])
            {
                var entry = new Entry(connector, subscription);
                switch (subscription)
                {
                    case ObjectSubscription { ExactObjectType: { } type }:
                        GetList(byObjectType, type).Add(entry);
                        break;
                    case ObjectSubscription:
                        anyObjectType.Add(entry);
                        break;
                    case PageSubscription { ExactClassName: { } className }:
                        GetList(byPageClass, className).Add(entry);
                        break;
                    default:
                        anyPageClass.Add(entry);
                        break;
                }
            }
        }

        _byObjectType = byObjectType.ToDictionary(p => p.Key, p => p.Value.ToArray(), StringComparer.OrdinalIgnoreCase);
        _byPageClass = byPageClass.ToDictionary(p => p.Key, p => p.Value.ToArray(), StringComparer.OrdinalIgnoreCase);
        _anyObjectType = [.. anyObjectType];
        _anyPageClass = [.. anyPageClass];
    }

    /// <summary>Gets a value indicating whether no connector has any subscription.</summary>
    public bool IsEmpty => _byObjectType.Count == 0 && _byPageClass.Count == 0 && _anyObjectType.Length == 0 && _anyPageClass.Length == 0;

    /// <summary>
    /// Finds the strongest matching mode per connector. <paramref name="modes"/> has one slot per connector and
    /// receives the mode, or 0 when the connector did not match. Returns whether any connector matched.
    /// </summary>
    public bool Match(BusObject change, TaskType taskType, Span<SubscriptionMode> modes)
    {
        if (modes.Length < _connectorCount)
        {
            throw new ArgumentException("One slot per connector is needed.", nameof(modes));
        }

        modes.Clear();
        Entry[] exact;
        Entry[] any;
        if (change.Type.Page is { } page)
        {
            exact = _byPageClass.TryGetValue(page.ClassName, out var pageEntries) ? pageEntries : NoEntries;
            any = _anyPageClass;
        }
        else
        {
            exact = _byObjectType.TryGetValue(change.TypeName, out var objectEntries) ? objectEntries : NoEntries;
            any = _anyObjectType;
        }

        var matched = Apply(exact, change, taskType, modes);
        return Apply(any, change, taskType, modes) || matched;
    }

    private static bool Apply(Entry[] entries, BusObject change, TaskType taskType, Span<SubscriptionMode> modes)
    {
        var matched = false;
        foreach (var entry in entries)
        {
            var mode = entry.Subscription.Mode;
            if (mode > modes[entry.Connector] && entry.Subscription.Matches(change, taskType))
            {
                modes[entry.Connector] = mode;
                matched = true;
            }
        }

        return matched;
    }

    private static List<Entry> GetList(Dictionary<string, List<Entry>> map, string key)
    {
        if (!map.TryGetValue(key, out var list))
        {
            list = [];
            map[key] = list;
        }

        return list;
    }

    private readonly record struct Entry(int Connector, Subscription Subscription);
}
