using IntegrationBus.Processing;

namespace IntegrationBus;

/// <summary>One registered connector at run time: the instance, its own options, its enabled switch and its two queues.</summary>
internal sealed class ConnectorRuntime
{
    private volatile bool _enabled = true;

    public ConnectorRuntime(Connector connector, ConnectorOptions options, int position)
    {
        Connector = connector;
        Options = options;
        Position = position;
        NameAsList = [connector.Name];
        Outgoing = new QueueRuntime(this, TaskDirection.Outgoing);
        Incoming = new QueueRuntime(this, TaskDirection.Incoming);
    }

    public Connector Connector { get; }

    public string Name => Connector.Name;

    /// <summary>Gets the name as a one-item list, the connectors of a task that goes to this connector only (no allocation per task).</summary>
    public IReadOnlyList<string> NameAsList { get; }

    /// <summary>Gets the connector's options (its own, by name: two instances of one class never share them).</summary>
    public ConnectorOptions Options { get; }

    /// <summary>Gets the connector's position in registration order (the subscription index's column).</summary>
    public int Position { get; }

    /// <summary>Gets or sets whether the connector is enabled (stored; changed by operators on any node).</summary>
    public bool Enabled
    {
        get => _enabled;
        set => _enabled = value;
    }

    public QueueRuntime Outgoing { get; }

    public QueueRuntime Incoming { get; }

    public QueueRuntime Queue(TaskDirection direction) => direction == TaskDirection.Outgoing ? Outgoing : Incoming;

    public override string ToString() => Name;
}
