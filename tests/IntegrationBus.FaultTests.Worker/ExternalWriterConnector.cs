using System.Diagnostics;

namespace IntegrationBus.FaultTests.Worker;

/// <summary>
/// The drill's incoming connector <c>fault-in</c>: an external system sends sequence numbers, which become
/// <c>fault.in</c> objects; <see cref="Handler"/> records each one the node applies.
/// </summary>
internal sealed class ExternalWriterConnector() : Connector(ConnectorName)
{
    public const string ConnectorName = "fault-in";

    public static readonly ObjectTypeInfo Type = new ObjectTypeBuilder("fault.in").Id("ItemID").Guid("ItemGuid").Fields("Name").Build();

    protected override void Subscribe(SubscriptionBuilder subscriptions)
    {
        // Incoming only.
    }

    protected override ValueTask<InternalObjectResult> PrepareInternalObjectAsync(object externalObject, TaskType taskType, DataType dataType, CancellationToken cancellationToken) =>
        ValueTask.FromResult(externalObject is long sequence
            ? InternalObjectResult.Accept(new BusObject(Type) { ["ItemID"] = sequence, ["ItemGuid"] = Guid.NewGuid(), ["Name"] = $"in {sequence}" })
            : InternalObjectResult.Reject("The drill sends sequence numbers (long)."));

    /// <summary>Applies incoming objects by recording their sequence numbers.</summary>
    internal sealed class Handler(NodeLog log) : IInternalDataHandler
    {
        public Task<long?> FindObjectIdAsync(ObjectLookup lookup, CancellationToken cancellationToken) => Task.FromResult<long?>(null);

        public Task<TaskResult> ApplyAsync(IncomingTask task, CancellationToken cancellationToken)
        {
            var start = Stopwatch.GetTimestamp();
            log.Incoming(task.Object.GetInt64("ItemID")!.Value, start, Stopwatch.GetTimestamp());
            return Task.FromResult(TaskResult.Ok);
        }
    }
}
