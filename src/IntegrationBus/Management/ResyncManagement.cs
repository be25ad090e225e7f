using System.Globalization;
using IntegrationBus.Storage;
using Microsoft.Extensions.Logging;

namespace IntegrationBus.Management;

/// <summary>Resyncs (initial loads): start one for a connector, follow its progress, cancel it (audited).</summary>
/// <remarks>
/// Reached through <see cref="IntegrationBusManagement.Resyncs"/>; the HTTP management API and <c>ibus resync</c> are thin
/// layers over it. A job is durable: the bus host works on it in the background, one node at a time, and resumes it
/// from its cursor after a crash or restart. Thread-safe.
/// </remarks>
public sealed class ResyncManagement
{
    private const string UnknownActor = "unknown";
    private readonly BusStartup _startup;
    private readonly TaskStore _store;
    private readonly ConnectorRegistry _connectors;
    private readonly ObjectTypeRegistry _types;
    private readonly ResyncWorker _worker;
    private readonly NodeChannel _channel;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    internal ResyncManagement(BusStartup startup, TaskStore store, ConnectorRegistry connectors, ObjectTypeRegistry types, ResyncWorker worker, NodeChannel channel, TimeProvider time, ILogger logger)
    {
        _startup = startup;
        _store = store;
        _connectors = connectors;
        _types = types;
        _worker = worker;
        _channel = channel;
        _time = time;
        _logger = logger;
    }

    /// <summary>Starts a resync: queues an update task for every existing matching object through the connector's subscriptions, in the background.</summary>
    /// <remarks>
    /// <para>
    /// Returns the stored job at once and tells the other nodes through the store's notifier, so a bus host (this node or
    /// another, woken at once rather than at its next sweep) works on it in batches of
    /// <see cref="IntegrationBusOptions.ResyncBatchSize"/> objects, types in ordinal order of their names and objects in
    /// ascending ID order. Each object matched against the connector's subscriptions as an update
    /// (<see cref="TaskType.UpdateObject"/> / <see cref="TaskType.UpdatePage"/>: their site filters and data types apply)
    /// gives the connector one task; other connectors get nothing. The connector's enabled switch and the "log outgoing"
    /// setting do not stop a resync: an operator asked for it.
    /// </para>
    /// <para>
    /// Live changes keep flowing meanwhile. When the objects live in the bus's database (EF Core on the same SQLite file or
    /// PostgreSQL database), no live change is overtaken by an older resync copy (see <see cref="IResyncSource"/>).
    /// </para>
    /// </remarks>
    /// <param name="connectorName">The connector.</param>
    /// <param name="typeFilter">Object type names or page class names, a glob like a subscription's (<c>%</c> = any run of characters); <see langword="null"/> for every type the source can read.</param>
    /// <param name="since">Only objects modified at or after this time (every selected type needs a last-modified property), or <see langword="null"/> for all.</param>
    /// <param name="actor">Who asks, for the job and the audit log.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The job, with its ID.</returns>
    /// <exception cref="ArgumentException">No connector has that name, no type matches the filter, or a selected type has no last-modified property while <paramref name="since"/> is given.</exception>
    /// <exception cref="InvalidOperationException">No <see cref="IResyncSource"/> is registered (EF Core: <c>AddEntityFrameworkCore</c>).</exception>
    /// <exception cref="NotSupportedException">The store does not store resync jobs.</exception>
    public async Task<ResyncJob> StartAsync(string connectorName, string? typeFilter = null, DateTimeOffset? since = null, string? actor = null, CancellationToken cancellationToken = default)
    {
        var connector = _connectors.Get(connectorName, nameof(connectorName));
        var source = _worker.Source
            ?? throw new InvalidOperationException("No resync source is registered, so the bus cannot read existing objects; with EF Core call AddEntityFrameworkCore<TContext>(...), or register an IResyncSource.");
        var filter = string.IsNullOrWhiteSpace(typeFilter) ? null : typeFilter.Trim();
        var selected = ResyncWorker.SelectTypes(_types, source, filter);
        if (selected.Count == 0)
        {
            throw new ArgumentException($"No object or page type that the resync source can read matches '{filter}'; name a registered type or page class (a glob, % = any run of characters).", nameof(typeFilter));
        }

        if (since is not null && selected.FirstOrDefault(t => !source.CanFilterByModification(t)) is { } undated)
        {
            throw new ArgumentException(
                $"Type '{undated.Name}' has no last-modified property, so a resync since {since:O} cannot filter it; declare one (EF Core: LastModified(e => e.UpdatedAt) on the entity) or narrow the type filter.",
                nameof(since));
        }

        await _startup.EnsureStartedAsync(cancellationToken).ConfigureAwait(false);
        var now = _time.GetUtcNow();
        var job = await _store.Resyncs.CreateAsync(
            new ResyncJob { Connector = connector.Name, TypeFilter = filter, Since = since, CreatedAt = now, UpdatedAt = now, StartedBy = actor },
            cancellationToken).ConfigureAwait(false);
        ResyncLog.Started(_logger, actor ?? UnknownActor, job.Id, job.Connector, filter ?? "%", since);
        await AuditAsync(actor, ManagementActions.StartResync, job, cancellationToken).ConfigureAwait(false);
        _worker.Signal.Set();

        // The other nodes look now rather than at their next sweep; a failure is logged by the channel (the job is stored).
        await _channel.PublishAsync(new BusNotification { Kind = BusNotificationKind.ResyncRequested, Connector = job.Connector }, cancellationToken).ConfigureAwait(false);
        return job;
    }

    /// <summary>Lists resync jobs, newest first, one page at a time.</summary>
    /// <param name="before">Only jobs with a smaller ID (the previous page's last), or <see langword="null"/> from the newest.</param>
    /// <param name="limit">The page size, 1 to <see cref="IntegrationBusManagement.MaxPageSize"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The jobs.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The page size is out of range.</exception>
    public async Task<IReadOnlyList<ResyncJob>> ListAsync(long? before = null, int limit = 50, CancellationToken cancellationToken = default)
    {
        if (limit is < 1 or > IntegrationBusManagement.MaxPageSize)
        {
            throw new ArgumentOutOfRangeException(nameof(limit), limit, string.Create(CultureInfo.InvariantCulture, $"The page size must be between 1 and {IntegrationBusManagement.MaxPageSize}; it was {limit}."));
        }

        await _startup.EnsureStartedAsync(cancellationToken).ConfigureAwait(false);
        return await _store.Resyncs.ListAsync(before, limit, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads one resync job: its state, cursor and the number of tasks queued so far.</summary>
    /// <param name="id">The job's ID.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The job, or <see langword="null"/> when there is none with that ID.</returns>
    public async Task<ResyncJob?> GetAsync(long id, CancellationToken cancellationToken = default)
    {
        await _startup.EnsureStartedAsync(cancellationToken).ConfigureAwait(false);
        return await _store.Resyncs.GetAsync(id, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Cancels a running resync; the tasks of the batches done so far stay queued, the batch in progress is not recorded.</summary>
    /// <param name="id">The job's ID.</param>
    /// <param name="actor">Who asks, for the audit log.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Whether a running job was cancelled; only then is it audited.</returns>
    public async Task<bool> CancelAsync(long id, string? actor = null, CancellationToken cancellationToken = default)
    {
        await _startup.EnsureStartedAsync(cancellationToken).ConfigureAwait(false);
        if (!await _store.Resyncs.CancelAsync(id, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        ResyncLog.Cancelled(_logger, actor ?? UnknownActor, id);
        var job = await _store.Resyncs.GetAsync(id, cancellationToken).ConfigureAwait(false);
        await AuditAsync(actor, ManagementActions.CancelResync, job!, cancellationToken).ConfigureAwait(false);
        return true;
    }

    private async Task AuditAsync(string? actor, string action, ResyncJob job, CancellationToken cancellationToken) =>
        await _store.Management.AppendAuditAsync(
            new AuditEntry
            {
                At = _time.GetUtcNow(),
                Actor = actor,
                Action = action,
                Target = string.Create(CultureInfo.InvariantCulture, $"resync {job.Id} {job.Connector} {job.TypeFilter ?? "%"}"),
                Count = job.Queued,
            },
            cancellationToken).ConfigureAwait(false);
}
