using IntegrationBus.Processing;
using Microsoft.Extensions.Options;

namespace IntegrationBus;

/// <summary>The registered connectors with their options and queues, found by name, and the subscription index over them.</summary>
internal sealed class ConnectorRegistry
{
    private readonly Dictionary<string, ConnectorRuntime> _byName = new(StringComparer.OrdinalIgnoreCase);

    public ConnectorRegistry(IServiceProvider services, IEnumerable<ConnectorRegistration> registrations, IOptionsFactory<ConnectorOptions> optionsFactory, IEnumerable<IValidateOptions<ConnectorOptions>> validators, bool partitionsSupported)
    {
        // One connector may be added more than once (AddConnector<T> twice): its callbacks apply in order.
        var instances = new List<(Connector Connector, List<Action<ConnectorOptions>> Configure)>();
        foreach (var registration in registrations)
        {
            var connector = registration.Factory(services);
            var entry = instances.FirstOrDefault(i => ReferenceEquals(i.Connector, connector));
            if (entry.Connector is null)
            {
                entry = (connector, []);
                instances.Add(entry);
            }

            if (registration.Configure is not null)
            {
                entry.Configure.Add(registration.Configure);
            }
        }

        var all = new List<ConnectorRuntime>(instances.Count);
        foreach (var (connector, configure) in instances)
        {
            if (_byName.TryGetValue(connector.Name, out var existing))
            {
                throw new IntegrationBusException(
                    $"Two connectors are named '{connector.Name}' ({existing.Connector.GetType().Name} and {connector.GetType().Name}). Connector names must be unique.");
            }

            var runtime = new ConnectorRuntime(connector, CreateOptions(connector.Name, optionsFactory, configure, validators), all.Count, partitionsSupported);
            _byName.Add(connector.Name, runtime);
            all.Add(runtime);
        }

        All = all;
        Queues = [.. all.SelectMany(c => c.Queues)];
        Index = new SubscriptionIndex([.. all.Select(c => c.Connector.BuildSubscriptions())]);
    }

    /// <summary>Gets the connectors in registration order (position order).</summary>
    public IReadOnlyList<ConnectorRuntime> All { get; }

    /// <summary>Gets every queue: each connector's outgoing one (or its partitions) and incoming one.</summary>
    public IReadOnlyList<QueueRuntime> Queues { get; }

    public SubscriptionIndex Index { get; }

    public int Count => All.Count;

    public bool TryGet(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ConnectorRuntime? connector) =>
        _byName.TryGetValue(name, out connector);

    /// <summary>Gets a connector by name.</summary>
    /// <exception cref="ArgumentException">No connector has that name.</exception>
    public ConnectorRuntime Get(string name, string parameterName) =>
        _byName.TryGetValue(name, out var connector)
            ? connector
            : throw new ArgumentException($"No connector is named '{name}'. Known connectors: {string.Join(", ", All.Select(c => c.Name))}.", parameterName);

    private static ConnectorOptions CreateOptions(string name, IOptionsFactory<ConnectorOptions> factory, List<Action<ConnectorOptions>> configure, IEnumerable<IValidateOptions<ConnectorOptions>> validators)
    {
        var options = factory.Create(name);
        foreach (var action in configure)
        {
            action(options);
        }

        var failures = validators.Select(v => v.Validate(name, options)).Where(r => r.Failed).SelectMany(r => r.Failures ?? []).ToList();
        return failures.Count == 0 ? options : throw new OptionsValidationException(name, typeof(ConnectorOptions), failures);
    }
}
