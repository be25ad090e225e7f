using System.Globalization;
using System.Text;

namespace IntegrationBus.FaultTests.Worker;

/// <summary>
/// Records each delivered task as a line <c>&lt;node&gt; &lt;objectId&gt;</c> in the delivery log, flushed to disk
/// before it returns <see cref="TaskResult.Ok"/>. Holds an exclusive OS lock on <c>&lt;db&gt;.connector.lock</c>
/// during each call and logs <c>OVERLAP &lt;node&gt;</c> when another process holds it. Per object (the connector is
/// then called in parallel) it checks per key (the item's GUID) instead and logs <c>OVERLAP &lt;node&gt;</c> when a key
/// is called twice at once.
/// </summary>
internal sealed class DeliveryLogConnector : Connector, IDisposable
{
    private readonly FileStream _log;
    private readonly string _lockPath;
    private readonly string _node;
    private readonly TimeSpan _delay;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<Guid, byte> _inFlight = new();

    public DeliveryLogConnector(string deliveryLogPath, string lockPath, string node, TimeSpan delay)
        : base("fault-log")
    {
        _log = new FileStream(deliveryLogPath, FileMode.Append, FileAccess.Write, FileShare.ReadWrite, bufferSize: 1, FileOptions.WriteThrough);
        _lockPath = lockPath;
        _node = node;
        _delay = delay;
    }

    /// <summary>Gets or sets whether the connector orders per object (checks overlaps per key, not per connector).</summary>
    public bool PerObject { get; init; }

    public void Dispose() => _log.Dispose();

    protected override void Subscribe(SubscriptionBuilder subscriptions) =>
        subscriptions.Objects(FaultItem.TypeName, SubscriptionMode.AsyncSimpleSnapshot);

    protected override async Task<TaskResult> ProcessOutgoingAsync(OutgoingTask task, CancellationToken cancellationToken)
    {
        if (PerObject)
        {
            return await ProcessPerObjectAsync(task, cancellationToken);
        }

        FileStream? held;
        try
        {
            held = new FileStream(_lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            held = null;
            await AppendAsync($"OVERLAP {_node}", cancellationToken);
        }

        await using (held)
        {
            if (_delay > TimeSpan.Zero)
            {
                await Task.Delay(_delay, cancellationToken);
            }

            var id = task.Object.GetInt64("ItemID");
            await AppendAsync(string.Create(CultureInfo.InvariantCulture, $"{_node} {id}"), cancellationToken);
        }

        return TaskResult.Ok;
    }

    private async Task<TaskResult> ProcessPerObjectAsync(OutgoingTask task, CancellationToken cancellationToken)
    {
        var key = task.Object.Guid!.Value;
        if (!_inFlight.TryAdd(key, 0))
        {
            await AppendAsync($"OVERLAP {_node}", cancellationToken);
        }

        try
        {
            await Task.Delay(_delay, cancellationToken);
            var id = task.Object.GetInt64("ItemID");
            await AppendAsync(string.Create(CultureInfo.InvariantCulture, $"{_node} {id}"), cancellationToken);
        }
        finally
        {
            _inFlight.TryRemove(key, out _);
        }

        return TaskResult.Ok;
    }

    private async Task AppendAsync(string line, CancellationToken cancellationToken)
    {
        // One write call per line, so a kill never leaves half a line; then fsync.
        await _log.WriteAsync(Encoding.UTF8.GetBytes(line + "\n"), cancellationToken);
        _log.Flush(flushToDisk: true);
    }
}
