using IntegrationBus.Processing;

namespace IntegrationBus;

/// <summary>One registered connector at run time: the instance, its own options, its enabled switch and its two queues.</summary>
internal sealed class ConnectorRuntime
{
    private volatile bool _enabled = true;

    public ConnectorRuntime(Connector connector, ConnectorOptions options, int position, bool partitionsSupported)
    {
        Connector = connector;
        Options = options;
        Position = position;
        NameAsList = [connector.Name];
        var partitions = partitionsSupported ? options.Partitions : 1;
        PartitionsIgnored = options.Partitions > partitions;
        OutgoingPartitions = [.. Enumerable.Range(0, partitions).Select(p => new QueueRuntime(this, TaskDirection.Outgoing, p, partitions))];
        Incoming = new QueueRuntime(this, TaskDirection.Incoming, 0, 1);
        Queues = [.. OutgoingPartitions, Incoming];
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

    /// <summary>Gets the outgoing queue, or its first partition when it is split.</summary>
    public QueueRuntime Outgoing => OutgoingPartitions[0];

    /// <summary>Gets the outgoing queue's partitions (one runner each), or the queue alone when it is not split.</summary>
    public IReadOnlyList<QueueRuntime> OutgoingPartitions { get; }

    public QueueRuntime Incoming { get; }

    /// <summary>Gets every queue of the connector: the outgoing partitions, then the incoming queue.</summary>
    public IReadOnlyList<QueueRuntime> Queues { get; }

    /// <summary>Gets a value indicating whether the options ask for partitions the store cannot make (the queue runs whole).</summary>
    public bool PartitionsIgnored { get; }

    /// <summary>Wakes this node's runners of the outgoing queue (every partition).</summary>
    public void WakeOutgoing()
    {
        foreach (var partition in OutgoingPartitions)
        {
            partition.Wake();
        }
    }

    public QueueRuntime Queue(TaskDirection direction) => direction == TaskDirection.Outgoing ? Outgoing : Incoming;

    public override string ToString() => Name;
}
