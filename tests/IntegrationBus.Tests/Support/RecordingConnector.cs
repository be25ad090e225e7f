using System.Collections.Concurrent;

namespace IntegrationBus.Tests.Support;

/// <summary>A connector that records what it receives and answers with a configurable result.</summary>
public class RecordingConnector(string name, Action<SubscriptionBuilder> subscribe) : Connector(name)
{
    private readonly Lock _lock = new();
    private readonly List<OutgoingTask> _calls = [];
    private readonly List<(int Count, TaskCompletionSource Source)> _waiters = [];
    private int _concurrent;

    public Func<OutgoingTask, TaskResult> Behaviour { get; set; } = _ => TaskResult.Ok;

    /// <summary>Gets or sets an asynchronous behaviour that wins over <see cref="Behaviour"/> (a call that waits, honours or ignores its token).</summary>
    public Func<OutgoingTask, CancellationToken, Task<TaskResult>>? AsyncBehaviour { get; set; }

    public Func<SynchronousChange, TaskResult> SynchronousBehaviour { get; set; } = _ => TaskResult.Ok;

    public Func<TranslationRecord, ExternalId?> ExternalIds { get; set; } = _ => null;

    public bool Translate { get; set; }

    public ConcurrentQueue<SynchronousChange> SynchronousCalls { get; } = new();

    public int MaxConcurrency { get; private set; }

    public IReadOnlyList<OutgoingTask> Calls
    {
        get
        {
            lock (_lock)
            {
                return [.. _calls];
            }
        }
    }

    public async Task WaitForCallsAsync(int count, TimeSpan? timeout = null)
    {
        var source = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            if (_calls.Count >= count)
            {
                return;
            }

            _waiters.Add((count, source));
        }

        await source.Task.WaitAsync(timeout ?? TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
    }

    protected override void Subscribe(SubscriptionBuilder subscriptions) => subscribe(subscriptions);

    protected override async Task<TaskResult> ProcessOutgoingAsync(OutgoingTask task, CancellationToken cancellationToken)
    {
        var concurrent = Interlocked.Increment(ref _concurrent);
        MaxConcurrency = Math.Max(MaxConcurrency, concurrent);
        try
        {
            if (Translate)
            {
                await TranslateColumnsToExternalAsync(task, cancellationToken);
            }

            return AsyncBehaviour is { } behaviour ? await behaviour(task, cancellationToken) : Behaviour(task);
        }
        finally
        {
            Interlocked.Decrement(ref _concurrent);
            lock (_lock)
            {
                _calls.Add(task);
                foreach (var waiter in _waiters.Where(w => _calls.Count >= w.Count).ToList())
                {
                    waiter.Source.TrySetResult();
                    _waiters.Remove(waiter);
                }
            }
        }
    }

    protected override Task<TaskResult> ProcessSynchronousAsync(SynchronousChange change, CancellationToken cancellationToken)
    {
        SynchronousCalls.Enqueue(change);
        return Task.FromResult(SynchronousBehaviour(change));
    }

    protected override ValueTask<ExternalId?> GetExternalObjectIdAsync(TranslationRecord reference, CancellationToken cancellationToken) =>
        ValueTask.FromResult(ExternalIds(reference));
}
