using IntegrationBus.Subscriptions;
using Microsoft.Extensions.Options;

namespace IntegrationBus.Connectors;

/// <summary>The registered connectors, their options, their enabled flags and the subscription index over them.</summary>
internal sealed class ConnectorSet
{
    private readonly Dictionary<string, int> _byName;
    private readonly bool[] _enabled;

    public ConnectorSet(IEnumerable<Connector> connectors, IOptionsMonitor<ConnectorOptions> options)
    {
        Connectors = [.. connectors.Distinct()];
        _byName = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < Connectors.Length; i++)
        {
            if (!_byName.TryAdd(Connectors[i].Name, i))
            {
                throw new IntegrationBusException(
                    $"Two connectors are named '{Connectors[i].Name}' ({Connectors[_byName[Connectors[i].Name]].GetType().Name} and {Connectors[i].GetType().Name}). Connector names must be unique.");
            }
        }

        Options = [.. Connectors.Select(c => options.Get(ConnectorOptionsName(c.GetType())))];
        _enabled = [.. Connectors.Select(_ => true)];
        Index = new SubscriptionIndex([.. Connectors.Select(c => c.BuildSubscriptions())]);
    }

    public Connector[] Connectors { get; }

    public ConnectorOptions[] Options { get; }

    public SubscriptionIndex Index { get; }

    public int Count => Connectors.Length;

    public static string ConnectorOptionsName(Type connectorType) => connectorType.FullName ?? connectorType.Name;

    public bool TryGetIndex(string name, out int index) => _byName.TryGetValue(name, out index);

    public bool IsEnabled(int index) => Volatile.Read(ref _enabled[index]);

    public void SetEnabled(int index, bool enabled) => Volatile.Write(ref _enabled[index], enabled);
}
