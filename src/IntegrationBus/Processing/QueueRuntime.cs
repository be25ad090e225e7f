using IntegrationBus.Storage;

namespace IntegrationBus.Processing;

/// <summary>
/// One queue at run time (a connector in one direction): its wake-up signal and what its runner knows about its lease.
/// The place where per-queue state lives (a circuit breaker and metric instruments belong here too).
/// </summary>
internal sealed class QueueRuntime
{
    private HeldLease? _heldLease;

    public QueueRuntime(ConnectorRuntime connector, TaskDirection direction)
    {
        Connector = connector;
        Direction = direction;
        Key = new QueueKey(connector.Name, direction);
    }

    public ConnectorRuntime Connector { get; }

    public TaskDirection Direction { get; }

    public QueueKey Key { get; }

    /// <summary>Gets the signal that wakes the queue's runner.</summary>
    public AsyncSignal Signal { get; } = new();

    /// <summary>Gets or sets the lease this node's runner holds, with its local deadline, or <see langword="null"/>.</summary>
    public HeldLease? HeldLease
    {
        get => Volatile.Read(ref _heldLease);
        set => Volatile.Write(ref _heldLease, value);
    }

    /// <summary>Wakes the queue's runner on this node.</summary>
    public void Wake() => Signal.Set();

    public override string ToString() => Key.ToString();
}
