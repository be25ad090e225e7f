using System.Globalization;
using System.Text;
using IntegrationBus.Storage;
using Microsoft.Extensions.Logging;

namespace IntegrationBus.Management;

/// <summary>
/// What operators see and do: queues, task lists and details, retry and delete (one task or by filter), connector
/// switches, settings, processing requests, retention, the audit log and the history of delivered tasks.
/// </summary>
/// <remarks>
/// The one management service: the HTTP management API, the dashboard and the <c>ibus</c> tool are thin layers over it,
/// so they behave identically. Every state-changing call writes an audit entry (who, when, what, how many tasks) and
/// tells the other nodes at once through the store's notifier. A singleton; thread-safe.
/// </remarks>
public sealed class IntegrationBusManagement
{
    /// <summary>The most rows one list page may ask for.</summary>
    public const int MaxPageSize = 1_000;

    private const int BulkBatchSize = 500;
    private const string UnknownActor = "unknown";
    private readonly BusStartup _startup;
    private readonly TaskStore _store;
    private readonly ConnectorRegistry _connectors;
    private readonly SettingsState _settings;
    private readonly NodeChannel _channel;
    private readonly ObjectTypeRegistry _types;
    private readonly IntegrationBusOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    internal IntegrationBusManagement(BusStartup startup, TaskStore store, ConnectorRegistry connectors, SettingsState settings, NodeChannel channel, ObjectTypeRegistry types, IntegrationBusOptions options, TimeProvider time, ILogger<IntegrationBusManagement> logger, ResyncWorker resyncs)
    {
        _startup = startup;
        _store = store;
        _connectors = connectors;
        _settings = settings;
        _channel = channel;
        _types = types;
        _options = options;
        _time = time;
        _logger = logger;
        IdMap = new IdMapManagement(startup, store, time, logger);
        BlockedKeys = new BlockedKeysManagement(startup, store, channel, time, logger);
        Resyncs = new ResyncManagement(startup, store, connectors, types, resyncs, channel, time, logger);
    }

    /// <summary>Gets the ID map's operations: list and find a connector's entries, delete one.</summary>
    public IdMapManagement IdMap { get; }

    /// <summary>Gets the blocked keys' operations (per-object ordering): list them, retry, skip or release a key's head.</summary>
    public BlockedKeysManagement BlockedKeys { get; }
    /// <summary>Gets the resyncs (initial loads): start one for a connector, list and follow them, cancel one.</summary>
    public ResyncManagement Resyncs { get; }

    /// <summary>Gets every queue: each registered connector in both directions (empty ones included), then queues of connectors other applications registered in the same store.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The queues.</returns>
    public async Task<IReadOnlyList<QueueOverview>> GetQueuesAsync(CancellationToken cancellationToken = default)
    {
        await _startup.EnsureStartedAsync(cancellationToken).ConfigureAwait(false);
        var summaries = (await _store.Management.GetQueuesAsync(cancellationToken).ConfigureAwait(false)).ToDictionary(s => s.Queue);
        var states = (await _store.Configuration.GetConnectorsAsync(cancellationToken).ConfigureAwait(false)).ToDictionary(s => s.Name, StringComparer.OrdinalIgnoreCase);
        var breakers = (await _store.Configuration.GetCircuitBreakersAsync(cancellationToken).ConfigureAwait(false)).ToDictionary(b => b.Connector, StringComparer.OrdinalIgnoreCase);
        var now = _time.GetUtcNow();
        var queues = new List<QueueOverview>();
        foreach (var connector in _connectors.All)
        {
            foreach (var direction in (ReadOnlySpan<TaskDirection>)[TaskDirection.Outgoing, TaskDirection.Incoming])
            {
                var key = new QueueKey(connector.Name, direction);
                summaries.Remove(key, out var summary);
                queues.Add(Overview(key, connector.Connector.DisplayName, states.TryGetValue(connector.Name, out var state) ? state.Enabled : connector.Enabled, true, summary, breakers, now));
            }
        }

        foreach (var summary in summaries.Values.OrderBy(s => s.Connector, StringComparer.Ordinal).ThenBy(s => s.Direction))
        {
            var state = states.GetValueOrDefault(summary.Connector);
            queues.Add(Overview(summary.Queue, state?.DisplayName ?? summary.Connector, state?.Enabled ?? true, false, summary, breakers, now));
        }

        return queues;
    }

    /// <summary>Lists tasks (one row per task and connector) that match a filter, one page at a time.</summary>
    /// <param name="query">The filter and page; <see cref="TaskQuery.Limit"/> is 1 to <see cref="MaxPageSize"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The page, with the position to read the next one after.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The page size is out of range.</exception>
    public async Task<TaskPage> ListTasksAsync(TaskQuery query, CancellationToken cancellationToken = default)
    {
        Check(query);
        await _startup.EnsureStartedAsync(cancellationToken).ConfigureAwait(false);
        var items = await _store.Management.ListTasksAsync(query, cancellationToken).ConfigureAwait(false);
        return new TaskPage { Items = items, Next = items.Count == query.Limit ? items[^1].Position : null };
    }

    /// <summary>Counts tasks that match a filter (its paging is ignored): the dry run before a bulk retry or delete.</summary>
    /// <param name="query">The filter.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The count.</returns>
    public async Task<long> CountTasksAsync(TaskQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        await _startup.EnsureStartedAsync(cancellationToken).ConfigureAwait(false);
        return await _store.Management.CountTasksAsync(query, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads one task: its payload, the object read back from it, every connector's state and the attempt log.</summary>
    /// <param name="taskId">The task.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The task, or <see langword="null"/> when it does not exist (any more).</returns>
    public async Task<TaskInspection?> GetTaskAsync(long taskId, CancellationToken cancellationToken = default)
    {
        await _startup.EnsureStartedAsync(cancellationToken).ConfigureAwait(false);
        if (await _store.Management.GetTaskAsync(taskId, cancellationToken).ConfigureAwait(false) is not { } detail)
        {
            return null;
        }

        var attempts = await _store.Management.GetAttemptsAsync(taskId, cancellationToken).ConfigureAwait(false);
        try
        {
            return new TaskInspection { Detail = detail, Attempts = attempts, Snapshot = TaskPayload.Deserialize(detail.Payload, _types, new List<(string Type, string Field)>()) };
        }
        catch (TaskPayloadException exception)
        {
            return new TaskInspection { Detail = detail, Attempts = attempts, PayloadError = exception.Message };
        }
    }

    /// <summary>Makes an errored, skipped or parked task pending again (due at once, fresh attempt count) and wakes its runners on every node.</summary>
    /// <param name="taskId">The task.</param>
    /// <param name="connectorName">Only this connector, or every connector of the task.</param>
    /// <param name="actor">Who asks, for the audit log.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>How many synchronizations were reset.</returns>
    public async Task<int> RetryTaskAsync(long taskId, string? connectorName = null, string? actor = null, CancellationToken cancellationToken = default)
    {
        await _startup.EnsureStartedAsync(cancellationToken).ConfigureAwait(false);
        var count = await _store.Management.RetryAsync(taskId, connectorName, cancellationToken).ConfigureAwait(false);
        Log.OperatorRetried(_logger, actor ?? UnknownActor, taskId, connectorName ?? "all connectors", count);
        await AuditAsync(actor, ManagementActions.RetryTask, TaskTarget(taskId, connectorName), count, cancellationToken).ConfigureAwait(false);
        await _channel.WakeEverywhereAsync(connectorName, null, cancellationToken).ConfigureAwait(false);
        return count;
    }

    /// <summary>Deletes a task for one connector (or all of its connectors) and wakes the runners, so a queue it blocked goes on.</summary>
    /// <param name="taskId">The task.</param>
    /// <param name="connectorName">Only this connector, or every connector of the task.</param>
    /// <param name="actor">Who asks, for the audit log.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>How many synchronizations were deleted.</returns>
    public async Task<int> DeleteTaskAsync(long taskId, string? connectorName = null, string? actor = null, CancellationToken cancellationToken = default)
    {
        await _startup.EnsureStartedAsync(cancellationToken).ConfigureAwait(false);
        var count = await _store.Management.DeleteAsync(taskId, connectorName, cancellationToken).ConfigureAwait(false);
        Log.OperatorDeleted(_logger, actor ?? UnknownActor, taskId, connectorName ?? "all connectors", count);
        await AuditAsync(actor, ManagementActions.DeleteTask, TaskTarget(taskId, connectorName), count, cancellationToken).ConfigureAwait(false);
        await _channel.WakeEverywhereAsync(connectorName, null, cancellationToken).ConfigureAwait(false);
        return count;
    }

    /// <summary>Retries every task that matches a filter, in bounded batches in task order (so queue order holds), and wakes the runners.</summary>
    /// <remarks>Count first with <see cref="CountTasksAsync"/> (the dry run). Pending tasks are left as they are.</remarks>
    /// <param name="filter">The filter; its <see cref="TaskQuery.After"/> is where to start, its limit is ignored.</param>
    /// <param name="actor">Who asks, for the audit log.</param>
    /// <param name="cancellationToken">Cancels the call between batches; batches done stay done.</param>
    /// <returns>How many synchronizations were retried, in how many batches.</returns>
    public Task<BulkActionResult> RetryTasksAsync(TaskQuery filter, string? actor = null, CancellationToken cancellationToken = default) =>
        BulkAsync(filter, ManagementActions.RetryTasks, _store.Management.RetryManyAsync, actor, cancellationToken);

    /// <summary>Deletes every task that matches a filter, in bounded batches, and wakes the runners.</summary>
    /// <remarks>Count first with <see cref="CountTasksAsync"/> (the dry run).</remarks>
    /// <param name="filter">The filter; its <see cref="TaskQuery.After"/> is where to start, its limit is ignored.</param>
    /// <param name="actor">Who asks, for the audit log.</param>
    /// <param name="cancellationToken">Cancels the call between batches; batches done stay done.</param>
    /// <returns>How many synchronizations were deleted, in how many batches.</returns>
    public Task<BulkActionResult> DeleteTasksAsync(TaskQuery filter, string? actor = null, CancellationToken cancellationToken = default) =>
        BulkAsync(filter, ManagementActions.DeleteTasks, _store.Management.DeleteManyAsync, actor, cancellationToken);

    /// <summary>Reads every connector the store knows, with its enabled switch.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The connectors.</returns>
    public async Task<IReadOnlyList<ConnectorState>> GetConnectorsAsync(CancellationToken cancellationToken = default)
    {
        await _startup.EnsureStartedAsync(cancellationToken).ConfigureAwait(false);
        return await _store.Configuration.GetConnectorsAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Enables or disables a connector on every node. A disabled connector gets no new tasks and its queues wait.</summary>
    /// <param name="connectorName">The connector.</param>
    /// <param name="enabled">The new state.</param>
    /// <param name="actor">Who asks, for the audit log.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the state is stored and applied on this node.</returns>
    /// <exception cref="ArgumentException">The store knows no connector of that name.</exception>
    public Task SetConnectorEnabledAsync(string connectorName, bool enabled, string? actor = null, CancellationToken cancellationToken = default) =>
        SetConnectorEnabledAsync(connectorName, enabled, actor, null, cancellationToken);

    /// <summary>Enables or disables a connector on every node, with the reason written into the audit entry (the bus itself acting, such as a webhook answered 410 Gone).</summary>
    internal async Task SetConnectorEnabledAsync(string connectorName, bool enabled, string? actor, string? reason, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectorName);
        await _startup.EnsureStartedAsync(cancellationToken).ConfigureAwait(false);
        if (!await _store.Configuration.SetConnectorEnabledAsync(connectorName, enabled, cancellationToken).ConfigureAwait(false))
        {
            throw new ArgumentException($"No connector is named '{connectorName}'.", nameof(connectorName));
        }

        _settings.ApplyConnectors(await _store.Configuration.GetConnectorsAsync(cancellationToken).ConfigureAwait(false));
        var target = reason is null ? $"connector {connectorName}" : $"connector {connectorName}: {reason}";
        await AuditAsync(actor, enabled ? ManagementActions.EnableConnector : ManagementActions.DisableConnector, target, 0, cancellationToken).ConfigureAwait(false);
        await _channel.PublishAsync(new BusNotification { Kind = BusNotificationKind.ConnectorsChanged, Connector = connectorName }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads the current settings from the store (and applies them on this node).</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The settings.</returns>
    public async Task<BusSettings> GetSettingsAsync(CancellationToken cancellationToken = default)
    {
        await _startup.EnsureStartedAsync(cancellationToken).ConfigureAwait(false);
        await _settings.RefreshAsync(cancellationToken).ConfigureAwait(false);
        return _settings.Current;
    }

    /// <summary>Stores new settings; they take effect at once on this node and, through the notifier, on the others.</summary>
    /// <param name="settings">The settings.</param>
    /// <param name="actor">Who asks, for the audit log.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the settings are stored.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A retention period is not positive.</exception>
    public async Task UpdateSettingsAsync(BusSettings settings, string? actor = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        await _startup.EnsureStartedAsync(cancellationToken).ConfigureAwait(false);
        await _settings.SaveAsync(settings, cancellationToken).ConfigureAwait(false);
        await AuditAsync(actor, ManagementActions.UpdateSettings, settings.ToString(), 0, cancellationToken).ConfigureAwait(false);
        await _channel.PublishAsync(new BusNotification { Kind = BusNotificationKind.SettingsChanged }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Wakes the runners of one connector (or all), in one direction (or both), on every node.</summary>
    /// <param name="connectorName">The connector, or <see langword="null"/> for all.</param>
    /// <param name="direction">The direction, or <see langword="null"/> for both.</param>
    /// <param name="actor">Who asks, for the audit log.</param>
    /// <param name="cancellationToken">Cancels telling the other nodes.</param>
    /// <returns>A task that completes when the other nodes have been told.</returns>
    /// <exception cref="ArgumentException">No registered connector has that name.</exception>
    public async Task RequestProcessingAsync(string? connectorName = null, TaskDirection? direction = null, string? actor = null, CancellationToken cancellationToken = default)
    {
        var name = connectorName is null ? null : _connectors.Get(connectorName, nameof(connectorName)).Name;
        await _startup.EnsureStartedAsync(cancellationToken).ConfigureAwait(false);
        await _channel.WakeEverywhereAsync(name, direction, cancellationToken).ConfigureAwait(false);
        var target = (name ?? "all connectors") + (direction is { } d ? "/" + d.ToString() : string.Empty);
        await AuditAsync(actor, ManagementActions.RequestProcessing, target, 0, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Applies retention now (it also runs on a schedule): deletes what the retention settings no longer keep.</summary>
    /// <param name="actor">Who asks, for the audit log.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>How many rows of each kind were deleted.</returns>
    public async Task<PurgeResult> PurgeAsync(string? actor = null, CancellationToken cancellationToken = default)
    {
        var result = await ApplyRetentionAsync(cancellationToken).ConfigureAwait(false);
        await AuditAsync(actor, ManagementActions.Purge, "retention", result.Total, cancellationToken).ConfigureAwait(false);
        return result;
    }

    /// <summary>Reads the audit log, newest first.</summary>
    /// <param name="query">The page.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The entries.</returns>
    public async Task<IReadOnlyList<AuditEntry>> ListAuditAsync(AuditQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(query.Limit);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(query.Limit, MaxPageSize);
        await _startup.EnsureStartedAsync(cancellationToken).ConfigureAwait(false);
        return await _store.Management.ListAuditAsync(query, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads the history of delivered tasks, newest first (kept while <see cref="BusSettings.HistoryEnabled"/> is on).</summary>
    /// <param name="query">The filter and page.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The entries.</returns>
    public async Task<IReadOnlyList<DeliveredTask>> ListHistoryAsync(HistoryQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(query.Limit);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(query.Limit, MaxPageSize);
        await _startup.EnsureStartedAsync(cancellationToken).ConfigureAwait(false);
        return await _store.Management.ListHistoryAsync(query, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deletes what the retention settings no longer keep; the scheduler calls it without an audit entry.</summary>
    internal async Task<PurgeResult> ApplyRetentionAsync(CancellationToken cancellationToken)
    {
        await _startup.EnsureStartedAsync(cancellationToken).ConfigureAwait(false);
        var settings = _settings.Current;
        var now = _time.GetUtcNow();
        var result = await _store.Retention.PurgeAsync(
            new RetentionCutoffs
            {
                AttemptsBefore = now - settings.AttemptLogRetention,
                FailedBefore = now - settings.FailedTaskRetention,
                IdempotencyKeysBefore = now - _options.IdempotencyRetention,
                WebhookMessagesBefore = now - _options.WebhookRetention,
                HistoryBefore = now - settings.HistoryRetention,
                AuditBefore = now - settings.AuditRetention,
            },
            cancellationToken).ConfigureAwait(false);
        HostingLog.RetentionApplied(_logger, result.Attempts, result.FailedSynchronizations, result.IdempotencyKeys, result.History, result.Audit);
        return result;
    }

    private static void Check(TaskQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.Limit is < 1 or > MaxPageSize)
        {
            throw new ArgumentOutOfRangeException(nameof(query), query.Limit, string.Create(CultureInfo.InvariantCulture, $"TaskQuery.Limit must be between 1 and {MaxPageSize}; it was {query.Limit}."));
        }
    }

    private static string TaskTarget(long taskId, string? connectorName) =>
        string.Create(CultureInfo.InvariantCulture, $"task {taskId}{(connectorName is null ? string.Empty : $" for {connectorName}")}");

    private static QueueOverview Overview(QueueKey key, string displayName, bool enabled, bool registered, QueueSummary? summary, Dictionary<string, CircuitBreakerState> breakers, DateTimeOffset now) => new()
    {
        Queue = key,
        DisplayName = displayName,
        Enabled = enabled,
        Registered = registered,
        Pending = summary?.Pending ?? 0,
        Errors = summary?.Errors ?? 0,
        Skipped = summary?.Skipped ?? 0,
        Failed = summary?.Failed ?? 0,
        OldestCreatedAt = summary?.OldestCreatedAt,
        Lag = summary?.OldestCreatedAt is { } oldest ? (now > oldest ? now - oldest : TimeSpan.Zero) : null,
        LeaseOwner = summary?.LeaseOwner,
        LeaseAcquiredAt = summary?.LeaseAcquiredAt,
        LeaseExpiresAt = summary?.LeaseExpiresAt,
        CircuitBreaker = key.Direction == TaskDirection.Outgoing ? breakers.GetValueOrDefault(key.Connector) : null,
    };

    private async Task<BulkActionResult> BulkAsync(TaskQuery filter, string action, Func<TaskQuery, CancellationToken, Task<BulkBatchResult>> batch, string? actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        await _startup.EnsureStartedAsync(cancellationToken).ConfigureAwait(false);
        var query = filter with { Limit = BulkBatchSize };
        long count = 0;
        var batches = 0;
        try
        {
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var done = await batch(query, cancellationToken).ConfigureAwait(false);
                batches++;
                count += done.Count;
                if (done.Last is not { } last)
                {
                    break;
                }

                query = query with { After = last };
            }
        }
        finally
        {
            // Whatever was done is audited and acted on, also when a later batch failed or was cancelled.
            if (count > 0 || batches > 0)
            {
                Log.ManagementAction(_logger, actor ?? UnknownActor, action, AuditTargets.Describe(filter), count);
                await AuditAsync(actor, action, AuditTargets.Describe(filter), count, CancellationToken.None).ConfigureAwait(false);
                await _channel.WakeEverywhereAsync(filter.Connector, filter.Direction, CancellationToken.None).ConfigureAwait(false);
            }
        }

        return new BulkActionResult { Count = count, Batches = batches };
    }

    private Task<long> AuditAsync(string? actor, string action, string target, long count, CancellationToken cancellationToken) =>
        _store.Management.AppendAuditAsync(new AuditEntry { At = _time.GetUtcNow(), Actor = actor, Action = action, Target = target, Count = count }, cancellationToken);
}
