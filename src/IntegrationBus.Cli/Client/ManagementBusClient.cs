using IntegrationBus.Management;
using IntegrationBus.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationBus.Cli.Client;

/// <summary>The bus over its store directly, through the core's management service (no runner is started).</summary>
internal sealed class ManagementBusClient : IBusClient
{
    private readonly ServiceProvider _services;
    private readonly IntegrationBusManagement _management;
    private readonly string _actor;

    /// <summary>Wraps a service provider that registers the bus (producer-only, no connectors); disposing the client disposes it.</summary>
    public ManagementBusClient(ServiceProvider services, string actor)
    {
        _services = services;
        _management = services.GetRequiredService<IntegrationBusManagement>();
        _actor = actor;
    }

    public Task<IReadOnlyList<QueueOverview>> GetQueuesAsync(CancellationToken cancellationToken) => _management.GetQueuesAsync(cancellationToken);

    public async Task<TaskListPage> ListTasksAsync(TaskQuery filter, string? after, int limit, CancellationToken cancellationToken)
    {
        var page = await _management.ListTasksAsync(filter with { After = after is null ? null : ParseCursor(after), Limit = limit }, cancellationToken).ConfigureAwait(false);
        return new TaskListPage(page.Items, page.Next?.ToCursor());
    }

    /// <summary>Reads a cursor printed as <c>next</c>.</summary>
    /// <exception cref="UsageException">The text is not such a cursor.</exception>
    private static TaskPosition ParseCursor(string cursor) => TaskPosition.TryParseCursor(cursor, out var position)
        ? position
        : throw new UsageException($"--after: '{cursor}' is not a cursor this tool printed (pass the 'next' value of the previous page unchanged).");

    public Task<long> CountTasksAsync(TaskQuery filter, CancellationToken cancellationToken) => _management.CountTasksAsync(filter, cancellationToken);

    public async Task<TaskView?> GetTaskAsync(long taskId, CancellationToken cancellationToken) =>
        await _management.GetTaskAsync(taskId, cancellationToken).ConfigureAwait(false) is { } task
            ? new TaskView { Detail = task.Detail, Attempts = task.Attempts }
            : null;

    public Task<int> RetryTaskAsync(long taskId, string? connector, CancellationToken cancellationToken) =>
        _management.RetryTaskAsync(taskId, connector, _actor, cancellationToken);

    public Task<int> DeleteTaskAsync(long taskId, string? connector, CancellationToken cancellationToken) =>
        _management.DeleteTaskAsync(taskId, connector, _actor, cancellationToken);

    public Task<BulkActionResult> RetryTasksAsync(TaskQuery filter, CancellationToken cancellationToken) =>
        _management.RetryTasksAsync(filter, _actor, cancellationToken);

    public Task<BulkActionResult> DeleteTasksAsync(TaskQuery filter, CancellationToken cancellationToken) =>
        _management.DeleteTasksAsync(filter, _actor, cancellationToken);

    public Task<IReadOnlyList<ConnectorState>> GetConnectorsAsync(CancellationToken cancellationToken) => _management.GetConnectorsAsync(cancellationToken);

    public async Task SetConnectorEnabledAsync(string connector, bool enabled, CancellationToken cancellationToken)
    {
        try
        {
            await _management.SetConnectorEnabledAsync(connector, enabled, _actor, cancellationToken).ConfigureAwait(false);
        }
        catch (ArgumentException exception)
        {
            throw new CliFailureException($"No connector is named '{connector}' in this store.", exception);
        }
    }

    public Task<BusSettings> GetSettingsAsync(CancellationToken cancellationToken) => _management.GetSettingsAsync(cancellationToken);

    public async Task<BusSettings> UpdateSettingsAsync(BusSettings settings, CancellationToken cancellationToken)
    {
        await _management.UpdateSettingsAsync(settings, _actor, cancellationToken).ConfigureAwait(false);
        return await _management.GetSettingsAsync(cancellationToken).ConfigureAwait(false);
    }

    public Task<PurgeResult> PurgeAsync(CancellationToken cancellationToken) => _management.PurgeAsync(_actor, cancellationToken);

    public Task<IReadOnlyList<AuditEntry>> ListAuditAsync(long? beforeId, int limit, CancellationToken cancellationToken) =>
        _management.ListAuditAsync(new AuditQuery { BeforeId = beforeId, Limit = limit }, cancellationToken);

    public async Task<IdMapListPage> ListIdMapAsync(IdMapQuery query, CancellationToken cancellationToken)
    {
        var page = await _management.IdMap.ListAsync(query, cancellationToken).ConfigureAwait(false);
        return new IdMapListPage([.. page.Items.Select(IdMapRow.From)], page.Next?.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    public Task<bool> DeleteIdMapEntryAsync(string connector, string objectType, Guid objectGuid, CancellationToken cancellationToken) =>
        _management.IdMap.DeleteAsync(connector, objectType, objectGuid, _actor, cancellationToken);

    public async Task<BlockedKeyListPage> ListBlockedKeysAsync(BlockedKeyQuery query, CancellationToken cancellationToken)
    {
        try
        {
            var page = await _management.BlockedKeys.ListAsync(query, cancellationToken).ConfigureAwait(false);
            return new BlockedKeyListPage([.. page.Items.Select(BlockedKeyRow.From)], page.Next, page.NextDirection);
        }
        catch (ArgumentException exception) when (exception.ParamName == "connectorName")
        {
            throw new CliFailureException($"No connector is named '{query.Connector}' in this store.", exception);
        }
    }

    public async Task<BlockedKeyRow> ActOnBlockedKeyAsync(string connector, string key, TaskDirection direction, string action, CancellationToken cancellationToken)
    {
        try
        {
            var keys = _management.BlockedKeys;
            var head = action switch
            {
                "retry" => await keys.RetryHeadAsync(connector, key, direction, _actor, cancellationToken).ConfigureAwait(false),
                "skip" => await keys.SkipHeadAsync(connector, key, direction, _actor, cancellationToken).ConfigureAwait(false),
                _ => await keys.ReleaseAsync(connector, key, direction, _actor, cancellationToken).ConfigureAwait(false),
            };
            return BlockedKeyRow.From(head);
        }
        catch (ArgumentException exception) when (exception.ParamName == "connectorName")
        {
            throw new CliFailureException($"No connector is named '{connector}' in this store.", exception);
        }
        catch (KeyNotBlockedException exception)
        {
            throw new CliFailureException(exception.Message, exception);
        }
    }

    public ValueTask DisposeAsync() => _services.DisposeAsync();

    public Task<ResyncJob> StartResyncAsync(string connector, string? typeFilter, DateTimeOffset? since, CancellationToken cancellationToken) =>
        _management.Resyncs.StartAsync(connector, typeFilter, since, _actor, cancellationToken);

    public Task<IReadOnlyList<ResyncJob>> ListResyncsAsync(long? before, int limit, CancellationToken cancellationToken) =>
        _management.Resyncs.ListAsync(before, limit, cancellationToken);

    public Task<ResyncJob?> GetResyncAsync(long id, CancellationToken cancellationToken) => _management.Resyncs.GetAsync(id, cancellationToken);

    public Task<bool> CancelResyncAsync(long id, CancellationToken cancellationToken) => _management.Resyncs.CancelAsync(id, _actor, cancellationToken);
}
