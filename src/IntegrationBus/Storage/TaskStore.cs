namespace IntegrationBus.Storage;

/// <summary>The one abstraction over the database that holds the queues, split into cohesive parts.</summary>
/// <remarks>
/// <para>
/// A store is a thread-safe singleton made of parts: <see cref="Queue"/> (append, fetch, record),
/// <see cref="Leases"/> (one runner per queue, fenced), <see cref="Configuration"/> (connectors and settings),
/// <see cref="Management"/> (what operators see and do), <see cref="Retention"/>, <see cref="IdMap"/> and <see cref="BlockedKeys"/>. Each part is an abstract class,
/// so later versions can add members with default implementations without breaking a third-party store.
/// </para>
/// <para>
/// Every member that decides on time takes <c>now</c> from the caller (the application's <see cref="TimeProvider"/>),
/// except lease time, which a server database judges by its own clock (see <see cref="LeaseStore.UsesStoreClock"/>).
/// </para>
/// </remarks>
public abstract class TaskStore
{
    /// <summary>Gets the queue part: append, fetch and record.</summary>
    public abstract QueueStore Queue { get; }

    /// <summary>Gets the lease part: one runner per queue across every node, fenced by a growing token.</summary>
    public abstract LeaseStore Leases { get; }

    /// <summary>Gets the configuration part: connectors and stored settings.</summary>
    public abstract ConfigurationStore Configuration { get; }

    /// <summary>Gets the management part: queue overviews, task lists and details, retry, delete, audit and history.</summary>
    public abstract ManagementStore Management { get; }

    /// <summary>Gets the retention part: purging what is older than the retention settings allow.</summary>
    public abstract RetentionStore Retention { get; }

    /// <summary>Gets the ID-map part: internal object ↔ external ID per connector and object type.</summary>
    /// <value>A map that stores nothing (finds nothing, refuses writes) unless the store overrides it; such a store ignores <see cref="TaskOutcome.ExternalId"/>.</value>
    public virtual IdMapStore IdMap => UnsupportedIdMapStore.Instance;

    /// <summary>Gets the blocked-key part: keys of per-object ordering that parked tasks hold, listed and released by operators.</summary>
    /// <value>A part that finds no blocked key and releases nothing unless the store overrides it.</value>
    public virtual BlockedKeyStore BlockedKeys => UnsupportedBlockedKeyStore.Instance;
    /// <summary>Gets the resync part: durable resync jobs of connectors (initial loads).</summary>
    /// <value>A part whose every member throws <see cref="NotSupportedException"/> unless the store overrides it.</value>
    public virtual ResyncStore Resyncs => UnsupportedResyncStore.Instance;

    /// <summary>Gets the notifier through which this store wakes runners and spreads settings changes across nodes.</summary>
    /// <value><see langword="null"/> unless the store has a channel between nodes; nodes then rely on polling.</value>
    public virtual BusNotifier? Notifier => null;

    /// <summary>Creates or upgrades the schema. Called once at start, before any other member.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the schema is ready.</returns>
    public abstract Task InitializeAsync(CancellationToken cancellationToken);
}
