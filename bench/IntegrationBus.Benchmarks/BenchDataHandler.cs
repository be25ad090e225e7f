
namespace IntegrationBus.Benchmarks;

/// <summary>A no-op internal data handler: no object exists yet, every task applies. Counts the applied tasks.</summary>
internal sealed class BenchDataHandler : IInternalDataHandler
{
    private long _count;
    private long _target = long.MaxValue;

    public long Count => Interlocked.Read(ref _count);

    public bool Reached => Interlocked.Read(ref _count) >= Volatile.Read(ref _target);

    public void Expect(long target)
    {
        Interlocked.Exchange(ref _count, 0);
        Volatile.Write(ref _target, target);
    }

    public Task<long?> FindObjectIdAsync(ObjectLookup lookup, CancellationToken cancellationToken) => Task.FromResult<long?>(null);

    public Task<TaskResult> ApplyAsync(IncomingTask task, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _count);
        return Task.FromResult(TaskResult.Ok);
    }
}
