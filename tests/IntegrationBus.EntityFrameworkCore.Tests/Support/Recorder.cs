
namespace IntegrationBus.EntityFrameworkCore.Tests.Support;

/// <summary>An outgoing connector that records what it gets and signals counts.</summary>
public sealed class Recorder(string name, Action<SubscriptionBuilder> subscribe) : Connector(name)
{
    private readonly Lock _lock = new();
    private readonly List<OutgoingTask> _tasks = [];
    private readonly List<SynchronousChange> _synchronous = [];
    private readonly List<(int Count, TaskCompletionSource Source)> _waiters = [];

    public IReadOnlyList<OutgoingTask> Tasks
    {
        get
        {
            lock (_lock)
            {
                return [.. _tasks];
            }
        }
    }

    public IReadOnlyList<SynchronousChange> Synchronous
    {
        get
        {
            lock (_lock)
            {
                return [.. _synchronous];
            }
        }
    }

    public Task WaitForAsync(int count)
    {
        var source = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            if (_tasks.Count >= count)
            {
                return Task.CompletedTask;
            }

            _waiters.Add((count, source));
        }

        return source.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
    }

    protected override void Subscribe(SubscriptionBuilder subscriptions) => subscribe(subscriptions);

    protected override Task<TaskResult> ProcessOutgoingAsync(OutgoingTask task, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _tasks.Add(task);
            foreach (var waiter in _waiters.Where(w => _tasks.Count >= w.Count).ToList())
            {
                waiter.Source.TrySetResult();
                _waiters.Remove(waiter);
            }
        }

        return Task.FromResult(TaskResult.Ok);
    }

    protected override Task<TaskResult> ProcessSynchronousAsync(SynchronousChange change, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _synchronous.Add(change);
        }

        return Task.FromResult(TaskResult.Ok);
    }
}
