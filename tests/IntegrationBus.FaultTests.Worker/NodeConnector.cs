using System.Diagnostics;

namespace IntegrationBus.FaultTests.Worker;

/// <summary>One of the drill's outgoing connectors (<c>c01</c>, <c>c02</c>, …): each subscribes to its own object type, waits a little and records the call.</summary>
internal sealed class NodeConnector(int number, NodeLog? log, TimeSpan delay) : Connector(NameOf(number))
{
    public static string NameOf(int number) => $"c{number:D2}";

    public static string TypeNameOf(int number) => $"fault.{NameOf(number)}";

    public static ObjectTypeInfo TypeOf(int number) => new ObjectTypeBuilder(TypeNameOf(number)).Id("ItemID").Guid("ItemGuid").Fields("Name").Build();

    protected override void Subscribe(SubscriptionBuilder subscriptions) => subscriptions.Objects(TypeNameOf(number), SubscriptionMode.AsyncSimple);

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
