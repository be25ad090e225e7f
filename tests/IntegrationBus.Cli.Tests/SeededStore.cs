using IntegrationBus.Sqlite;
using IntegrationBus.Storage;
using IntegrationBus.TestKit;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace IntegrationBus.Cli.Tests;

/// <summary>
/// A SQLite store file as an application leaves it, written through the library: connectors <c>crm</c> and <c>erp</c>,
/// five outgoing updates for both (tasks 1–3 of <c>test.contact</c>, 4–5 of <c>test.order</c>, logged an hour apart from
/// <see cref="Some.Epoch"/> + 1 h) and one incoming create for <c>crm</c> (at + 6 h). For <c>crm</c> outgoing, task 1 is in
/// error, task 2 skipped and task 3 parked as failed, each with one attempt 60 days ago; everything else is pending.
/// </summary>
internal sealed class SeededStore : IAsyncDisposable
{
    private SeededStore(string path, SqliteTaskStore store, IReadOnlyList<long> outgoing, long incoming, IReadOnlyList<NewIntegrationTask> tasks)
    {
        Path = path;
        Store = store;
        Outgoing = outgoing;
        Incoming = incoming;
        Tasks = tasks;
    }

    /// <summary>Gets the store file.</summary>
    public string Path { get; }

    /// <summary>Gets the store, open beside the tool (SQLite in WAL mode shares the file).</summary>
    public SqliteTaskStore Store { get; }

    /// <summary>Gets the five outgoing task IDs, in order.</summary>
    public IReadOnlyList<long> Outgoing { get; }

    /// <summary>Gets the incoming task's ID.</summary>
    public long Incoming { get; }

    /// <summary>Gets the tasks as appended (outgoing first, the incoming last).</summary>
    public IReadOnlyList<NewIntegrationTask> Tasks { get; }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Creates and fills a new store file under /tmp/ibuscli-….</summary>
    /// <summary>Gets until when the seeded circuit breaker of <c>crm</c> is open.</summary>
    public static DateTimeOffset BreakerOpenUntil { get; } = new(2100, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static async Task<SeededStore> CreateAsync()
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"ibuscli-{Guid.NewGuid():N}.db");
        var store = new SqliteTaskStore(Options.Create(new SqliteTaskStoreOptions { ConnectionString = $"Data Source={path}" }), NullLogger<SqliteTaskStore>.Instance);
        await store.InitializeAsync(Ct);
        await store.Configuration.RegisterConnectorsAsync([new ConnectorState("crm", "CRM", true), new ConnectorState("erp", "ERP", true)], Ct);

        var tasks = Enumerable.Range(1, 5)
            .Select(i => Some.Task(Some.Epoch.AddHours(i), "crm", "erp") with { ObjectType = i <= 3 ? "test.contact" : "test.order" })
            .Append(Some.IncomingTask("crm", IncomingPolicy.Default, "crm") with { CreatedAt = Some.Epoch.AddHours(6) })
            .ToList();
        var ids = await store.Queue.AppendAsync(tasks, null, Ct);

        var now = TimeProvider.System.GetUtcNow();
        var lease = await store.Leases.TryAcquireAsync(new LeaseRequest { Queue = Some.Queue("crm"), Owner = "node-1", Duration = TimeSpan.FromMinutes(5), Now = now }, Ct)
            ?? throw new InvalidOperationException("No lease on a new store.");
        var attempted = now - TimeSpan.FromDays(60);
        await store.Queue.RecordAsync(
            new RecordRequest
            {
                Lease = lease,
                Outcomes =
                [
                    new TaskOutcome { TaskId = ids[0], Result = TaskResultKind.Error, Message = "CRM down", Details = "System.Net.Http.HttpRequestException: CRM down\n   at Crm.Client.SendAsync()", AttemptedAt = attempted, NextAttemptAt = now.AddHours(1) },
                    new TaskOutcome { TaskId = ids[1], Result = TaskResultKind.ErrorAndSkip, Message = "CRM refused the contact", AttemptedAt = attempted, NextAttemptAt = now.AddHours(1) },
                    new TaskOutcome { TaskId = ids[2], Result = TaskResultKind.Error, Message = "too many attempts", AttemptedAt = attempted, NextAttemptAt = now.AddHours(1), Park = true },
                ],
            },
            Ct);
        await store.Configuration.SetCircuitBreakerAsync(
            new CircuitBreakerState { Connector = "crm", Status = CircuitBreakerStatus.Open, ChangedAt = now, OpenedAt = now, OpenUntil = BreakerOpenUntil, Reason = "CRM down" }, Ct);
        return new SeededStore(path, store, [.. ids.Take(5)], ids[5], tasks);
    }

    /// <summary>The tool's arguments with <c>--sqlite</c> for this store.</summary>
    public string[] Args(params string[] arguments) => [.. arguments, "--sqlite", Path];

    /// <summary>Lists every synchronization that matches a filter, through the library.</summary>
    public async Task<IReadOnlyList<TaskSummary>> ListAsync(TaskQuery? filter = null) =>
        await Store.Management.ListTasksAsync((filter ?? new TaskQuery()) with { Limit = 1000 }, Ct);

    /// <summary>Reads one synchronization's status, or <see langword="null"/> when it is gone.</summary>
    public async Task<SynchronizationStatus?> StatusAsync(long taskId, string connector) =>
        (await ListAsync(new TaskQuery { Connector = connector })).FirstOrDefault(r => r.Task.Id == taskId)?.Synchronization.Status;

    public ValueTask DisposeAsync()
    {
        Store.Dispose();
        foreach (var file in new[] { Path, Path + "-wal", Path + "-shm" })
        {
            File.Delete(file);
        }

        return ValueTask.CompletedTask;
    }
}
