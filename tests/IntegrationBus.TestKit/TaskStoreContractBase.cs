using IntegrationBus.Connectors;
using IntegrationBus.Model;
using IntegrationBus.Storage;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace IntegrationBus.TestKit;

/// <summary>
/// The lifecycle and helpers of the store contract: a fresh, initialised, empty store per test and a
/// <see cref="FakeTimeProvider"/> for every <c>now</c>. Derive from <see cref="TaskStoreContract"/>.
/// </summary>
public abstract class TaskStoreContractBase : IAsyncLifetime
{
    private ITaskStore? _store;

    /// <summary>Gets the store under test.</summary>
    protected ITaskStore Store => _store ?? throw new InvalidOperationException("The store is created in InitializeAsync.");

    /// <summary>Gets the clock that supplies every <c>now</c>.</summary>
    protected FakeTimeProvider Time { get; } = new(Some.Epoch);

    /// <summary>Gets the current test's cancellation token.</summary>
    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Creates a fresh, initialised and empty store.</summary>
    protected abstract Task<ITaskStore> CreateStoreAsync();

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

    /// <summary>Appends tasks in one batch of the store's own.</summary>
    protected Task<IReadOnlyList<long>> AppendAsync(params NewIntegrationTask[] tasks) => Store.AppendAsync(tasks, null, Ct);

    /// <summary>Appends one task and returns its ID.</summary>
    protected async Task<long> AppendOneAsync(NewIntegrationTask task) => (await AppendAsync(task)).Single();

    /// <summary>Reads a connector's whole outgoing queue.</summary>
    protected Task<IReadOnlyList<QueuedTask>> FetchAllAsync(string connector, TaskDirection direction = TaskDirection.Outgoing)
        => Store.FetchAsync(connector, direction, 0, 1000, Ct);

    /// <summary>Records one outcome for a connector's outgoing queue.</summary>
    protected Task RecordAsync(string connector, TaskOutcome outcome, TaskDirection direction = TaskDirection.Outgoing)
        => Store.RecordAsync(connector, direction, [outcome], Ct);

    /// <summary>An OK outcome now.</summary>
    protected TaskOutcome Ok(long taskId) => new(taskId, TaskResultKind.Ok, null, Time.GetUtcNow());

    /// <summary>An error outcome now, retried after <paramref name="retryAfter"/>.</summary>
    protected TaskOutcome Error(long taskId, string message, TimeSpan retryAfter, bool park = false)
        => new(taskId, TaskResultKind.Error, message, Time.GetUtcNow(), Time.GetUtcNow() + retryAfter, park);

    /// <summary>Lists one task's synchronization for one connector.</summary>
    protected async Task<TaskSummary> SummaryAsync(long taskId, string connector)
        => (await Store.ListAsync(new TaskQuery(Connector: connector, AfterTaskId: taskId - 1, Limit: 1), Ct)).Single(s => s.TaskId == taskId);
}
