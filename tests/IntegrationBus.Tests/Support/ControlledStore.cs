using IntegrationBus.Storage;

namespace IntegrationBus.Tests.Support;

/// <summary>A real store with switches a test can turn: hold start-up, lose a lease renewal, count calls.</summary>
public sealed class ControlledStore(TaskStore inner) : TaskStore
{
    private readonly ControlledLeases _leases = new(inner.Leases);
    private readonly ControlledQueue _queue = new(inner.Queue);

    /// <summary>Gets or sets a gate that each RecordAsync waits for (with its token) before recording (null: no wait).</summary>
    public TaskCompletionSource? RecordGate
    {
        get => _queue.Gate;
        set => _queue.Gate = value;
    }

    /// <summary>Gets a signal set when a RecordAsync starts waiting at the gate.</summary>
    public TaskCompletionSource RecordWaiting => _queue.Waiting;

    /// <summary>Gets or sets how fetched tasks are changed before the runner sees them (null: as the store read them).</summary>
    public Func<QueuedTask, QueuedTask>? FetchedAs
    {
        get => _queue.FetchedAs;
        set => _queue.FetchedAs = value;
    }

    /// <summary>Gets the record requests, in the order they came.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<RecordRequest> Records => _queue.Records;

    /// <summary>Gets or sets a gate that <see cref="InitializeAsync"/> waits for (null: no wait).</summary>
    public TaskCompletionSource? InitializeGate { get; set; }

    /// <summary>Gets how often <see cref="InitializeAsync"/> ran.</summary>
    public int InitializeCalls => Volatile.Read(ref _initializeCalls);

    /// <summary>Gets or sets a value indicating whether lease renewals answer "lost" (another owner took it).</summary>
    public bool LoseRenewals
    {
        get => _leases.LoseRenewals;
        set => _leases.LoseRenewals = value;
    }

    /// <summary>Gets or sets a value indicating whether renewals ask the holder to give the lease up (a store spreading queues).</summary>
    public bool YieldOnRenew
    {
        get => _leases.YieldOnRenew;
        set => _leases.YieldOnRenew = value;
    }

    /// <summary>Gets how many renewals succeeded.</summary>
    public int Renewals => _leases.Renewals;

    /// <summary>Gets or sets a value indicating whether releasing a lease fails (the database went away at shutdown).</summary>
    public bool FailReleases
    {
        get => _leases.FailReleases;
        set => _leases.FailReleases = value;
    }

    private int _initializeCalls;

    public TaskStore Inner => inner;

    public override QueueStore Queue => _queue;

    public override LeaseStore Leases => _leases;

    public override ConfigurationStore Configuration => inner.Configuration;

    public override ManagementStore Management => inner.Management;

    public override RetentionStore Retention => inner.Retention;

    public override BusNotifier? Notifier => inner.Notifier;

    public override IdMapStore IdMap => inner.IdMap;

    public override BlockedKeyStore BlockedKeys => inner.BlockedKeys;

    public override ResyncStore Resyncs => inner.Resyncs;

    public override async Task InitializeAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _initializeCalls);
        if (InitializeGate is { } gate)
        {
            await gate.Task.WaitAsync(cancellationToken);
        }

        await inner.InitializeAsync(cancellationToken);
    }

    private sealed class ControlledQueue(QueueStore inner) : QueueStore
    {
        public TaskCompletionSource? Gate { get; set; }

        public TaskCompletionSource Waiting { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Func<QueuedTask, QueuedTask>? FetchedAs { get; set; }

        public System.Collections.Concurrent.ConcurrentQueue<RecordRequest> Records { get; } = new();

        public override Task<IReadOnlyList<long>> AppendAsync(IReadOnlyList<NewIntegrationTask> tasks, System.Data.Common.DbTransaction? transaction, CancellationToken cancellationToken) =>
            inner.AppendAsync(tasks, transaction, cancellationToken);

        public override IReadOnlyList<long> Append(IReadOnlyList<NewIntegrationTask> tasks, System.Data.Common.DbTransaction transaction) => inner.Append(tasks, transaction);

        public override Task<IReadOnlyList<IncomingAppendResult>> AppendIncomingAsync(IReadOnlyList<IncomingAppend> appends, CancellationToken cancellationToken) =>
            inner.AppendIncomingAsync(appends, cancellationToken);

        // What the inner store can do beyond the abstract members passes through, so the decorator changes nothing else.
        public override bool SupportsPartitions => inner.SupportsPartitions;

        public override bool SupportsEnlistedAppends => inner.SupportsEnlistedAppends;

        public override Task<IReadOnlyList<long>> AppendEnlistedAsync(IReadOnlyList<NewIntegrationTask> tasks, System.Data.Common.DbConnection connection, CancellationToken cancellationToken) =>
            inner.AppendEnlistedAsync(tasks, connection, cancellationToken);

        public override IReadOnlyList<long> AppendEnlisted(IReadOnlyList<NewIntegrationTask> tasks, System.Data.Common.DbConnection connection) => inner.AppendEnlisted(tasks, connection);

        public override Task<WebhookAppendResult> AppendWebhookAsync(IncomingAppend append, IntegrationBus.Webhooks.WebhookReceipt receipt, CancellationToken cancellationToken) =>
            inner.AppendWebhookAsync(append, receipt, cancellationToken);

        public override async Task<IReadOnlyList<QueuedTask>> FetchAsync(FetchRequest request, CancellationToken cancellationToken)
        {
            var tasks = await inner.FetchAsync(request, cancellationToken);
            return FetchedAs is { } map ? [.. tasks.Select(map)] : tasks;
        }

        public override async Task<bool> RecordAsync(RecordRequest request, CancellationToken cancellationToken)
        {
            if (Gate is { } gate)
            {
                Waiting.TrySetResult();
                await gate.Task.WaitAsync(cancellationToken);
            }

            Records.Enqueue(request);
            return await inner.RecordAsync(request, cancellationToken);
        }
    }

    private sealed class ControlledLeases(LeaseStore inner) : LeaseStore
    {
        private int _renewals;

        public bool LoseRenewals { get; set; }

        public bool YieldOnRenew { get; set; }

        public bool FailReleases { get; set; }

        public int Renewals => Volatile.Read(ref _renewals);

        public override bool UsesStoreClock => inner.UsesStoreClock;

        public override Task<QueueLease?> TryAcquireAsync(LeaseRequest request, CancellationToken cancellationToken) => inner.TryAcquireAsync(request, cancellationToken);

        public override async Task<QueueLease?> RenewAsync(QueueLease lease, TimeSpan duration, DateTimeOffset now, CancellationToken cancellationToken)
        {
            if (LoseRenewals)
            {
                return null;
            }

            var renewed = await inner.RenewAsync(lease, duration, now, cancellationToken);
            if (renewed is not null)
            {
                Interlocked.Increment(ref _renewals);
            }

            return renewed is not null && YieldOnRenew ? renewed with { YieldRequested = true } : renewed;
        }

        public override Task ReleaseAsync(QueueLease lease, CancellationToken cancellationToken) =>
            FailReleases ? Task.FromException(new InvalidOperationException("The database is gone.")) : inner.ReleaseAsync(lease, cancellationToken);
    }
}
