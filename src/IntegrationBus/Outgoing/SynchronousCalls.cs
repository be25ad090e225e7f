using System.Collections.Concurrent;

namespace IntegrationBus;

/// <summary>
/// Synchronous connector calls started from a synchronous hook (EF Core's <c>SaveChanges</c>) that could not be awaited
/// there: tracked, so that stopping the bus waits for them.
/// </summary>
internal sealed class SynchronousCalls
{
    private readonly ConcurrentDictionary<Task, byte> _running = new();

    public int Count => _running.Count;

    /// <summary>Tracks a call until it ends (it handles its own failures).</summary>
    public void Track(Task call)
    {
        if (call.IsCompleted)
        {
            return;
        }

        _running.TryAdd(call, 0);
        call.ContinueWith(static (done, state) => ((ConcurrentDictionary<Task, byte>)state!).TryRemove(done, out _), _running, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>Waits for the calls running now.</summary>
    public Task WhenAllAsync(CancellationToken cancellationToken) => Task.WhenAll(_running.Keys).WaitAsync(cancellationToken);
}
