
namespace IntegrationBus.Tests.Support;

/// <summary>The application's data for incoming tests: finds objects by GUID or code name and records applied tasks.</summary>
public sealed class InMemoryDataHandler : IInternalDataHandler
{
    private readonly Lock _lock = new();
    private readonly List<IncomingTask> _applied = [];
    private readonly List<(int Count, TaskCompletionSource Source)> _waiters = [];

    public List<BusObject> Objects { get; } = [];

    public Func<IncomingTask, Task<TaskResult>> Apply { get; set; } = _ => Task.FromResult(TaskResult.Ok);

    public List<ObjectLookup> Lookups { get; } = [];

    public IReadOnlyList<IncomingTask> Applied
    {
        get
        {
            lock (_lock)
            {
                return [.. _applied];
            }
        }
    }

    public async Task WaitForAppliedAsync(int count)
    {
        var source = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            if (_applied.Count >= count)
            {
                return;
            }

            _waiters.Add((count, source));
        }

        await source.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
    }

    public Task<long?> FindObjectIdAsync(ObjectLookup lookup, CancellationToken cancellationToken)
    {
        Lookups.Add(lookup);
        var found = Objects.FirstOrDefault(o =>
            o.Type == lookup.Type
            && (lookup.Guid is { } guid
                ? o.Guid == guid
                : string.Equals(o.CodeName, lookup.CodeName, StringComparison.OrdinalIgnoreCase)
                    && string.Equals(o.Site, lookup.Site, StringComparison.OrdinalIgnoreCase)
                    && (lookup.ParentId is null || o.ParentId == lookup.ParentId)));
        return Task.FromResult(found?.Id);
    }

    public async Task<TaskResult> ApplyAsync(IncomingTask task, CancellationToken cancellationToken)
    {
        var result = await Apply(task);
        lock (_lock)
        {
            _applied.Add(task);
            foreach (var waiter in _waiters.Where(w => _applied.Count >= w.Count).ToList())
            {
                waiter.Source.TrySetResult();
                _waiters.Remove(waiter);
            }
        }

        return result;
    }
}
