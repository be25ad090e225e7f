using System.ComponentModel.DataAnnotations;

namespace IntegrationBus;

/// <summary>Start-up options of the bus. Run-time switches are stored settings (<see cref="BusSettings"/>), not options.</summary>
public sealed class IntegrationBusOptions
{
    /// <summary>Gets or sets how many tasks a runner reads and records at once.</summary>
    /// <value>100.</value>
    [Range(1, 10_000)]
    public int BatchSize { get; set; } = IntegrationBusDefaults.BatchSize;

    /// <summary>Gets or sets how many incoming tasks a runner reads and records at once.</summary>
    /// <remarks>
    /// A data handler that applies in batches (<see cref="IInternalBatchDataHandler"/>) applies up to this many in one
    /// unit of work, so its fixed costs a batch (a context, a transaction, its commit, the look-up queries) are shared by
    /// more tasks; the application's database is held for one such transaction meanwhile.
    /// </remarks>
    /// <value>500.</value>
    [Range(1, 10_000)]
    public int IncomingBatchSize { get; set; } = IntegrationBusDefaults.IncomingBatchSize;

    /// <summary>Gets or sets how many objects one batch of a resync reads and queues in one transaction.</summary>
    /// <remarks>When the objects live in the bus's database, live writers of those rows wait for a batch, so keep it short.</remarks>
    /// <value>500.</value>
    [Range(1, 10_000)]
    public int ResyncBatchSize { get; set; } = IntegrationBusDefaults.ResyncBatchSize;

    /// <summary>Gets or sets the first retry delay after an error; it doubles with every further attempt.</summary>
    /// <value>1 second.</value>
    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00")]
    public TimeSpan RetryDelay { get; set; } = IntegrationBusDefaults.RetryDelay;

    /// <summary>Gets or sets the longest retry delay.</summary>
    /// <value>5 minutes.</value>
    [Range(typeof(TimeSpan), "00:00:00.001", "1.00:00:00")]
    public TimeSpan MaxRetryDelay { get; set; } = IntegrationBusDefaults.MaxRetryDelay;

    /// <summary>Gets or sets how often every runner looks at its queue even without a wake-up (the slow sweep).</summary>
    /// <value>10 seconds.</value>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan SweepInterval { get; set; } = IntegrationBusDefaults.SweepInterval;

    /// <summary>Gets or sets how long a runner lease lasts unless renewed; a crashed node's queues are taken over after it.</summary>
    /// <remarks>A running runner renews its lease every third of this duration, however long a batch or a connector call takes.</remarks>
    /// <value>30 seconds.</value>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan LeaseDuration { get; set; } = IntegrationBusDefaults.LeaseDuration;

    /// <summary>Gets the names of the application's sites; incoming changes for another site are refused.</summary>
    /// <value>Empty: any site is accepted.</value>
    public IList<string> Sites { get; } = [];

    /// <summary>Gets or sets how long an incoming idempotency key is remembered; a repeat within it queues nothing new.</summary>
    /// <remarks>
    /// Standard Webhooks message IDs are kept as long, but at least 2 hours (twice the longest signature tolerance), so a
    /// signed message can never outlive its replay record.
    /// </remarks>
    /// <value>24 hours.</value>
    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00")]
    public TimeSpan IdempotencyRetention { get; set; } = IntegrationBusDefaults.IdempotencyRetention;

    /// <summary>Gets how long a Standard Webhooks message ID is kept: <see cref="IdempotencyRetention"/>, at least 2 hours.</summary>
    internal TimeSpan WebhookRetention =>
        IdempotencyRetention > IntegrationBusDefaults.MinimumWebhookRetention ? IdempotencyRetention : IntegrationBusDefaults.MinimumWebhookRetention;

    /// <summary>Gets or sets how often retention runs on this node (what it deletes is set by <see cref="BusSettings"/>).</summary>
    /// <value>1 hour.</value>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan RetentionInterval { get; set; } = IntegrationBusDefaults.RetentionInterval;

    /// <summary>Gets or sets how often, at most, the queues' figures (depth, lag, blocked, failed) are read from the store for the observable metrics.</summary>
    /// <remarks>
    /// The figures are read only while a metrics listener collects them (or a health check asks), never more often than
    /// this; each reading is one <c>GetQueuesAsync</c> call. The metrics report the figures as of the last reading.
    /// </remarks>
    /// <value>15 seconds.</value>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan QueueFiguresInterval { get; set; } = IntegrationBusDefaults.QueueFiguresInterval;

    /// <summary>
    /// Gets or sets a value indicating whether this process only queues tasks: it runs no queue and no retention, and the
    /// other processes on the same store (the application's nodes) process what it queues.
    /// </summary>
    /// <remarks>
    /// <para>
    /// For an external writer beside the application, such as an import job that calls
    /// <see cref="IntegrationBusService.ProcessExternalTaskAsync"/> while the application may be down: its tasks wait
    /// in the shared store, in order, and the application's nodes apply them when woken (on a server store, through
    /// the store's notifier once the writer commits), at their next sweep, or when they start. It must register the same
    /// connectors and object types as the application, since it prepares incoming objects and matches outgoing changes
    /// itself; synchronous connectors are still called where a change is logged. Settings and connector switches still
    /// reach it. It never takes a lease, so it does not count in the fair share of queues between nodes.
    /// </para>
    /// <para>
    /// A start-up option of one process, not a setting: the stored <c>ProcessIncoming</c> and <c>ProcessOutgoing</c>
    /// switches apply to every node.
    /// </para>
    /// </remarks>
    /// <value><see langword="false"/>: this process runs the queues.</value>
    public bool ProducerOnly { get; set; } = IntegrationBusDefaults.ProducerOnly;

    /// <summary>Gets or sets how long stopping may take to record the results of tasks already processed.</summary>
    /// <value>5 seconds.</value>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan ShutdownTimeout { get; set; } = IntegrationBusDefaults.ShutdownTimeout;
}
