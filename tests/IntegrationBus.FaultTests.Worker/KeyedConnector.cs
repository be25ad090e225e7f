using System.Diagnostics;

namespace IntegrationBus.FaultTests.Worker;

/// <summary>
/// The partition drill's connector <c>keyed</c>: ordered per object (item <c>id</c> has the GUID of key <c>id % keys</c>),
/// its outgoing queue split into partitions; each call waits a little and is recorded in the node log.
/// </summary>
internal sealed class KeyedConnector(NodeLog? log, TimeSpan delay) : Connector(ConnectorName)
{
    public const string ConnectorName = "keyed";

    public const string TypeName = "fault.keyed";

    public static readonly ObjectTypeInfo Type = new ObjectTypeBuilder(TypeName).Id("ItemID").Guid("ItemGuid").Fields("Name").Build();

    /// <summary>The connector's options in the drill: per object, 16 keys at once per partition, split into <paramref name="partitions"/>.</summary>
    public static void Configure(ConnectorOptions options, int partitions)
    {
        options.Ordering = Ordering.PerObject;
        options.MaxDegreeOfParallelism = 16;
        options.Partitions = partitions;
    }

    protected override void Subscribe(SubscriptionBuilder subscriptions) => subscriptions.Objects(TypeName, SubscriptionMode.AsyncSimple);

    protected override async Task<TaskResult> ProcessOutgoingAsync(OutgoingTask task, CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        if (delay > TimeSpan.Zero)
        {
            await Task.Delay(delay, cancellationToken);
        }

        var recorder = log ?? throw new InvalidOperationException("This process only queues tasks.");
        recorder.Outgoing(Name, task.Object.GetInt64("ItemID")!.Value, start, Stopwatch.GetTimestamp());
        return TaskResult.Ok;
    }
}
