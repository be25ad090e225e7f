using IntegrationBus.Management;
using IntegrationBus.Storage;

namespace IntegrationBus.Cli.Client;

/// <summary>
/// What the commands need from a bus: the management service over the store directly, or a running application's
/// management HTTP API. Commands are written once against it, so both transports behave identically.
/// </summary>
internal interface IBusClient : IAsyncDisposable
{
    /// <summary>Reads every queue.</summary>
    Task<IReadOnlyList<QueueOverview>> GetQueuesAsync(CancellationToken cancellationToken);

    /// <summary>Reads one page of tasks; <paramref name="after"/> is a cursor this client printed as <see cref="TaskListPage.Next"/>.</summary>
    /// <exception cref="UsageException">The cursor is not one this client printed.</exception>
    Task<TaskListPage> ListTasksAsync(TaskQuery filter, string? after, int limit, CancellationToken cancellationToken);

    /// <summary>Counts the tasks that match a filter.</summary>
    Task<long> CountTasksAsync(TaskQuery filter, CancellationToken cancellationToken);

    /// <summary>Reads one task, or <see langword="null"/> when it does not exist.</summary>
    Task<TaskView?> GetTaskAsync(long taskId, CancellationToken cancellationToken);

    /// <summary>Retries one task (for one connector or all); returns how many synchronizations were reset.</summary>
    Task<int> RetryTaskAsync(long taskId, string? connector, CancellationToken cancellationToken);

    /// <summary>Deletes one task (for one connector or all); returns how many synchronizations were deleted.</summary>
    Task<int> DeleteTaskAsync(long taskId, string? connector, CancellationToken cancellationToken);

    /// <summary>Retries every task that matches a filter.</summary>
    Task<BulkActionResult> RetryTasksAsync(TaskQuery filter, CancellationToken cancellationToken);

    /// <summary>Deletes every task that matches a filter.</summary>
    Task<BulkActionResult> DeleteTasksAsync(TaskQuery filter, CancellationToken cancellationToken);

    /// <summary>Reads every connector the store knows.</summary>
    Task<IReadOnlyList<ConnectorState>> GetConnectorsAsync(CancellationToken cancellationToken);

    /// <summary>Enables or disables a connector.</summary>
    /// <exception cref="CliFailureException">No connector has that name.</exception>
    Task SetConnectorEnabledAsync(string connector, bool enabled, CancellationToken cancellationToken);

    /// <summary>Reads the stored settings.</summary>
    Task<BusSettings> GetSettingsAsync(CancellationToken cancellationToken);

    /// <summary>Stores new settings and returns them as stored.</summary>
    Task<BusSettings> UpdateSettingsAsync(BusSettings settings, CancellationToken cancellationToken);

    /// <summary>Applies retention now.</summary>
    Task<PurgeResult> PurgeAsync(CancellationToken cancellationToken);

    /// <summary>Reads the audit log, newest first.</summary>
    Task<IReadOnlyList<AuditEntry>> ListAuditAsync(long? beforeId, int limit, CancellationToken cancellationToken);

    /// <summary>Reads one page of a connector's ID map.</summary>
    Task<IdMapListPage> ListIdMapAsync(IdMapQuery query, CancellationToken cancellationToken);

    /// <summary>Deletes a connector's ID-map entry of one object; <see langword="false"/> when there was none.</summary>
    Task<bool> DeleteIdMapEntryAsync(string connector, string objectType, Guid objectGuid, CancellationToken cancellationToken);

    /// <summary>Reads one page of a connector's blocked keys.</summary>
    /// <exception cref="CliFailureException">No connector has that name.</exception>
    Task<BlockedKeyListPage> ListBlockedKeysAsync(BlockedKeyQuery query, CancellationToken cancellationToken);

    /// <summary>Retries (<c>retry</c>), skips (<c>skip</c>) or releases (<c>release</c>) a blocked key's head; answers the key as it was blocked.</summary>
    /// <exception cref="CliFailureException">No connector has that name, or the key is not blocked.</exception>
    Task<BlockedKeyRow> ActOnBlockedKeyAsync(string connector, string key, TaskDirection direction, string action, CancellationToken cancellationToken);
    /// <summary>Starts a resync of a connector (over the store it needs the application's resync source, so only over HTTP in practice).</summary>
    Task<ResyncJob> StartResyncAsync(string connector, string? typeFilter, DateTimeOffset? since, CancellationToken cancellationToken);

    /// <summary>Lists resync jobs, newest first.</summary>
    Task<IReadOnlyList<ResyncJob>> ListResyncsAsync(long? before, int limit, CancellationToken cancellationToken);

    /// <summary>Reads one resync job, or <see langword="null"/>.</summary>
    Task<ResyncJob?> GetResyncAsync(long id, CancellationToken cancellationToken);

    /// <summary>Cancels a running resync; <see langword="false"/> when there was none.</summary>
    Task<bool> CancelResyncAsync(long id, CancellationToken cancellationToken);
}
