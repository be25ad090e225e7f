using IntegrationBus.Storage;

namespace IntegrationBus.Processing;

/// <summary>
/// One queue at run time (a connector in one direction): its wake-up signal and what its runner knows about its lease.
/// The place where per-queue state lives (a circuit breaker and metric instruments belong here too).
/// </summary>
internal sealed class QueueRuntime
{
    private HeldLease? _heldLease;

    private int _runnerState;

    public QueueRuntime(ConnectorRuntime connector, TaskDirection direction, int partition, int partitions)
    {
        Connector = connector;
        Direction = direction;
        Key = new QueueKey(connector.Name, direction);
        PartitionKey = Key with { Partition = partition, Partitions = partitions };
        DestinationName = connector.Name + "/" + DirectionName(direction);
        ProcessSpanName = "process " + DestinationName;
        Tags = [new("connector", connector.Name), new("direction", DirectionName(direction))];
    }

    public ConnectorRuntime Connector { get; }

    public TaskDirection Direction { get; }

    /// <summary>Gets the whole queue's key (connector and direction), as operators and the queue figures name it.</summary>
    public QueueKey Key { get; }

    /// <summary>Gets the key this runtime's runner leases and fetches: the partition, or the whole queue when it is not split.</summary>
    public QueueKey PartitionKey { get; }

    /// <summary>Gets the queue's <c>messaging.destination.name</c>: the connector and the direction (<c>crm/outgoing</c>).</summary>
    public string DestinationName { get; }

    /// <summary>Gets the name of the queue's <c>process</c> spans.</summary>
    public string ProcessSpanName { get; }

    /// <summary>Gets the metric tags of the queue (<c>connector</c>, <c>direction</c>), made once.</summary>
    public KeyValuePair<string, object?>[] Tags { get; }

    /// <summary>Gets or sets the state of this node's runner of the queue (for the runners-alive health check).</summary>
    public RunnerState RunnerState
    {
        get => (RunnerState)Volatile.Read(ref _runnerState);
        set => Volatile.Write(ref _runnerState, (int)value);
    }

    /// <summary>Gets or sets how many iterations in a row the runner could not make progress (store errors).</summary>
    public int ConsecutiveFailures { get; set; }

    /// <summary>Gets or sets the circuit breaker of the queue's calls (outgoing queues whose connector enables it), or <see langword="null"/>.</summary>
    public ConnectorCircuitBreaker? Breaker { get; set; }

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

    /// <summary>The lower-case name of a direction, as spans and metrics carry it.</summary>
    public static string DirectionName(TaskDirection direction) => direction == TaskDirection.Outgoing ? "outgoing" : "incoming";

    public override string ToString() => PartitionKey.ToString();
}
