using IntegrationBus.Storage;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace IntegrationBus.TestKit;

/// <summary>
/// The lifecycle and helpers of the store contract: a fresh, initialised, empty store per test and a
/// <see cref="FakeTimeProvider"/> for every <c>now</c>. Derive from <see cref="TaskStoreContract"/>.
/// </summary>
/// <remarks>
/// <para>
/// Time: every <c>now</c> the facts pass comes from <see cref="Time"/>. <see cref="CreateStoreAsync"/> gives the store
/// <see cref="Time"/> as its <see cref="TimeProvider"/>, so a notifier that waits between polls waits on it and the
/// notifier fact can drive it with <see cref="FakeTimeProvider.Advance"/>.
/// </para>
/// <para>
/// A store whose leases use the database clock (<see cref="LeaseStore.UsesStoreClock"/>) overrides
/// <see cref="AdvanceStoreClockAsync"/> to move that clock (a test-only offset, say); otherwise the facts that need
/// a lease to expire are skipped for it, and every other lease fact still runs.
/// </para>
/// </remarks>
public abstract class TaskStoreContractBase : IAsyncLifetime
{
    /// <summary>The lease duration the helpers use: long enough never to expire unless a fact moves time on.</summary>
    protected static readonly TimeSpan LeaseDuration = TimeSpan.FromSeconds(30);

    private readonly Dictionary<QueueKey, QueueLease> _leases = [];
    private TaskStore? _store;

    /// <summary>Gets the store under test.</summary>
    protected TaskStore Store => _store ?? throw new InvalidOperationException("The store is created in InitializeAsync.");

    /// <summary>Gets the clock that supplies every <c>now</c>; the store is given it as its <see cref="TimeProvider"/>.</summary>
    protected FakeTimeProvider Time { get; } = new(Some.Epoch);

    /// <summary>Gets the current test's cancellation token.</summary>
    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Creates a fresh, initialised and empty store that uses <see cref="Time"/> as its <see cref="TimeProvider"/>.</summary>
    protected abstract Task<TaskStore> CreateStoreAsync();

    /// <inheritdoc/>
    public virtual async ValueTask InitializeAsync() => _store = await CreateStoreAsync();

    /// <inheritdoc/>
    public virtual async ValueTask DisposeAsync()
    {
        switch (_store)
        {
            case IAsyncDisposable asyncDisposable:
                await asyncDisposable.DisposeAsync();
                break;
            case IDisposable disposable:
                disposable.Dispose();
                break;
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>Moves the database's own clock on; only called for a store whose leases use it.</summary>
    /// <param name="by">How far.</param>
    /// <returns>A task that completes when the clock moved.</returns>
    protected virtual Task AdvanceStoreClockAsync(TimeSpan by)
    {
        Assert.Skip("The store judges leases by the database clock and its test class does not override AdvanceStoreClockAsync to move it.");
        return Task.CompletedTask;
    }

    /// <summary>Moves time on for the facts and for lease expiry: <see cref="Time"/>, and the database clock when leases use it.</summary>
    /// <param name="by">How far.</param>
    /// <returns>A task that completes when time moved.</returns>
    protected async Task AdvanceAsync(TimeSpan by)
    {
        Time.Advance(by);
        if (Store.Leases.UsesStoreClock)
        {
            await AdvanceStoreClockAsync(by);
        }
    }

    /// <summary>Appends tasks in one batch of the store's own.</summary>
    protected Task<IReadOnlyList<long>> AppendAsync(params NewIntegrationTask[] tasks) => Store.Queue.AppendAsync(tasks, null, Ct);

    /// <summary>Appends one task and returns its ID.</summary>
    protected async Task<long> AppendOneAsync(NewIntegrationTask task) => (await AppendAsync(task)).Single();

    /// <summary>Reads a queue from the start, as of now.</summary>
    protected Task<IReadOnlyList<QueuedTask>> FetchAllAsync(string connector, TaskDirection direction = TaskDirection.Outgoing)
        => FetchAsync(connector, direction, 0, 1000);

    /// <summary>Reads part of a queue, as of now.</summary>
    protected Task<IReadOnlyList<QueuedTask>> FetchAsync(string connector, TaskDirection direction, long afterTaskId, int limit)
        => Store.Queue.FetchAsync(new FetchRequest { Queue = Some.Queue(connector, direction), AfterTaskId = afterTaskId, Limit = limit, Now = Time.GetUtcNow() }, Ct);

    /// <summary>Takes a queue's lease for a new owner.</summary>
    protected Task<QueueLease?> AcquireAsync(string connector, string owner, TaskDirection direction = TaskDirection.Outgoing)
        => Store.Leases.TryAcquireAsync(new LeaseRequest { Queue = Some.Queue(connector, direction), Owner = owner, Duration = LeaseDuration, Now = Time.GetUtcNow() }, Ct);

    /// <summary>Gets the lease the helpers record under for a queue, taking it on first use.</summary>
    protected async Task<QueueLease> LeaseAsync(string connector, TaskDirection direction = TaskDirection.Outgoing)
    {
        var queue = Some.Queue(connector, direction);
        if (!_leases.TryGetValue(queue, out var lease))
        {
            lease = await AcquireAsync(connector, Some.Owner(), direction) ?? throw new InvalidOperationException($"The lease of {queue} is held by someone else.");
            _leases[queue] = lease;
        }

        return lease;
    }

    /// <summary>Records outcomes for a queue under the helpers' lease, and checks that they were recorded.</summary>
    protected async Task RecordAsync(string connector, TaskDirection direction, params TaskOutcome[] outcomes)
        => Assert.True(await Store.Queue.RecordAsync(new RecordRequest { Lease = await LeaseAsync(connector, direction), Outcomes = outcomes }, Ct));

    /// <summary>Records one outcome for a connector's outgoing queue under the helpers' lease.</summary>
    protected Task RecordAsync(string connector, TaskOutcome outcome) => RecordAsync(connector, TaskDirection.Outgoing, outcome);

    /// <summary>An OK outcome now.</summary>
    protected TaskOutcome Ok(long taskId) => new() { TaskId = taskId, Result = TaskResultKind.Ok, AttemptedAt = Time.GetUtcNow() };

    /// <summary>An error outcome now, retried after <paramref name="retryAfter"/>.</summary>
    protected TaskOutcome Error(long taskId, string message, TimeSpan retryAfter, bool park = false) => new()
    {
        TaskId = taskId,
        Result = TaskResultKind.Error,
        Message = message,
        AttemptedAt = Time.GetUtcNow(),
        NextAttemptAt = Time.GetUtcNow() + retryAfter,
        Park = park,
    };

    /// <summary>An ErrorAndSkip outcome now, retried after <paramref name="retryAfter"/> (or at once when <see langword="null"/>).</summary>
    protected TaskOutcome Skip(long taskId, string message, TimeSpan? retryAfter = null) => new()
    {
        TaskId = taskId,
        Result = TaskResultKind.ErrorAndSkip,
        Message = message,
        AttemptedAt = Time.GetUtcNow(),
        NextAttemptAt = Time.GetUtcNow() + retryAfter,
    };

    /// <summary>Reads one task's synchronization for one connector (outgoing first when it has both), as management lists it.</summary>
    protected async Task<TaskSummary> SummaryAsync(long taskId, string connector)
    {
        // Incoming is the last direction: the position (taskId - 1, connector, Incoming) is just before the task's rows.
        var after = new TaskPosition(taskId - 1, connector, TaskDirection.Incoming);
        var rows = await Store.Management.ListTasksAsync(new TaskQuery { Connector = connector, After = after, Limit = 2 }, Ct);
        return rows.First(r => r.Task.Id == taskId);
    }

    /// <summary>Reads a task's payload, or <see langword="null"/> when the task is gone.</summary>
    protected async Task<string?> PayloadAsync(long taskId) => (await Store.Management.GetTaskAsync(taskId, Ct))?.Payload;

    /// <summary>Reads a task's attempt log.</summary>
    protected Task<IReadOnlyList<AttemptRecord>> AttemptsAsync(long taskId) => Store.Management.GetAttemptsAsync(taskId, Ct);
}
