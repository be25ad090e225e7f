using System.Diagnostics;
using System.Text.Json;

namespace IntegrationBus.Benchmarks;

/// <summary>A no-op asynchronous connector that counts its calls and signals when it reached a target count.</summary>
internal sealed class BenchConnector(string name) : Connector(name)
{
    private long _count;
    private long _target = long.MaxValue;
    private TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Called with the object id and the timestamp of the call (latency figure).</summary>
    public Action<long, long>? OnCall { get; set; }

    /// <summary>Gets or sets how long each outgoing call takes (a remote API); zero answers at once (no-op).</summary>
    public TimeSpan CallDuration { get; set; }

    public long Count => Interlocked.Read(ref _count);

    public Task Reached => _reached.Task;

    public void Expect(long target)
    {
        Interlocked.Exchange(ref _count, 0);
        _reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _target, target);
    }

    /// <summary>Accepts a <see cref="BusObject"/> (in process) or the JSON of one (over HTTP) as a bench item.</summary>
    protected override ValueTask<InternalObjectResult> PrepareInternalObjectAsync(object externalObject, TaskType taskType, DataType dataType, CancellationToken cancellationToken)
    {
        if (externalObject is BusObject obj)
        {
            return ValueTask.FromResult(InternalObjectResult.Accept(obj));
        }

        if (externalObject is JsonElement json)
        {
            var item = new BusObject(BenchTypes.Item);
            item["ItemID"] = json.GetProperty("ItemID").GetInt64();
            item["ItemGuid"] = json.GetProperty("ItemGuid").GetGuid();
            item["ItemName"] = json.GetProperty("ItemName").GetString();
            item["ItemTitle"] = json.GetProperty("ItemTitle").GetString();
            item["Email"] = json.GetProperty("Email").GetString();
            item["Price"] = json.GetProperty("Price").GetDecimal();
            return ValueTask.FromResult(InternalObjectResult.Accept(item));
        }

        return ValueTask.FromResult(InternalObjectResult.Reject("Not a bench item."));
    }

    protected override void Subscribe(SubscriptionBuilder subscriptions) =>
        subscriptions.Objects(BenchTypes.ItemName, SubscriptionMode.AsyncSimple);

    protected override Task<TaskResult> ProcessOutgoingAsync(OutgoingTask task, CancellationToken cancellationToken)
    {
        if (OnCall is { } onCall)
        {
            onCall(task.Object.Id, Stopwatch.GetTimestamp());
        }

        if (CallDuration > TimeSpan.Zero)
        {
            return CallAsync(cancellationToken);
        }

        Counted();
        return Task.FromResult(TaskResult.Ok);
    }

    private async Task<TaskResult> CallAsync(CancellationToken cancellationToken)
    {
        await Task.Delay(CallDuration, cancellationToken).ConfigureAwait(false);
        Counted();
        return TaskResult.Ok;
    }

    private void Counted()
    {
        if (Interlocked.Increment(ref _count) == Volatile.Read(ref _target))
        {
            _reached.TrySetResult();
        }
    }
}
