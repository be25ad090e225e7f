using System.Globalization;
using IntegrationBus.Storage;
using Microsoft.Extensions.Logging;

namespace IntegrationBus.Management;

/// <summary>What operators see and do with blocked keys of per-object ordering: list them, retry, skip or release a key's head (audited).</summary>
/// <remarks>
/// <para>
/// Reached through <see cref="IntegrationBusManagement.BlockedKeys"/>; the HTTP management API, the dashboard and
/// <c>ibus keys</c> are thin layers over it. A key is blocked while a parked (failed) task holds it: later tasks of the
/// key wait, other keys flow. Retry head makes the head pending again (it runs first in its key); skip head deletes the
/// head's synchronization for the connector (the task itself goes once no connector needs it); release leaves the head
/// failed (listed, retryable, deletable) but lets the key's later tasks pass it.
/// </para>
/// <para>Every action writes an audit entry and a log line, and wakes the connector's runners on every node. Thread-safe.</para>
/// </remarks>
public sealed class BlockedKeysManagement
{
    private const string UnknownActor = "unknown";
    private readonly BusStartup _startup;
    private readonly TaskStore _store;
    private readonly NodeChannel _channel;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    internal BlockedKeysManagement(BusStartup startup, TaskStore store, NodeChannel channel, TimeProvider time, ILogger logger)
    {
        _startup = startup;
        _store = store;
        _channel = channel;
        _time = time;
        _logger = logger;
    }

    /// <summary>Lists a connector's blocked keys with their heads and waiting counts, one page at a time.</summary>
    /// <param name="query">The connector, direction and page; <see cref="BlockedKeyQuery.Limit"/> is 1 to <see cref="IntegrationBusManagement.MaxPageSize"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The page, with the key to read the next one after.</returns>
    /// <exception cref="ArgumentException">The connector name is empty, or the store knows no connector of that name (parameter <c>connectorName</c>).</exception>
    /// <exception cref="ArgumentOutOfRangeException">The page size is out of range.</exception>
    public async Task<BlockedKeyPage> ListAsync(BlockedKeyQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentException.ThrowIfNullOrWhiteSpace(query.Connector, nameof(query));
        if (query.Limit is < 1 or > IntegrationBusManagement.MaxPageSize)
        {
            throw new ArgumentOutOfRangeException(nameof(query), query.Limit, string.Create(CultureInfo.InvariantCulture, $"BlockedKeyQuery.Limit must be between 1 and {IntegrationBusManagement.MaxPageSize}; it was {query.Limit}."));
        }

        await EnsureConnectorAsync(query.Connector, cancellationToken).ConfigureAwait(false);
        var items = await _store.BlockedKeys.ListAsync(query, cancellationToken).ConfigureAwait(false);
        var last = items.Count == query.Limit ? items[^1] : null;
        return new BlockedKeyPage { Items = items, Next = last?.Key, NextDirection = last?.Direction };
    }

    /// <summary>Counts blocked keys per queue, for overviews and health checks.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The count of every queue that has a blocked key.</returns>
    public async Task<IReadOnlyDictionary<QueueKey, long>> CountAsync(CancellationToken cancellationToken = default)
    {
        await _startup.EnsureStartedAsync(cancellationToken).ConfigureAwait(false);
        return await _store.BlockedKeys.CountAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Retries a blocked key's head: it becomes pending again, due at once with a fresh attempt count, and runs first in its key.</summary>
    /// <param name="connectorName">The connector.</param>
    /// <param name="key">The ordering key.</param>
    /// <param name="direction">The direction of the blocked queue.</param>
    /// <param name="actor">Who asks, for the audit log.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The key as it was blocked (its head is the task retried).</returns>
    /// <exception cref="ArgumentException">The connector name is empty, or the store knows no connector of that name (parameter <c>connectorName</c>).</exception>
    /// <exception cref="KeyNotBlockedException">The key is not blocked.</exception>
    public Task<BlockedKey> RetryHeadAsync(string connectorName, string key, TaskDirection direction = TaskDirection.Outgoing, string? actor = null, CancellationToken cancellationToken = default) =>
        ActAsync(connectorName, key, direction, actor, ManagementActions.RetryBlockedKey, async head =>
            await _store.Management.RetryAsync(head.Head.Id, connectorName, cancellationToken).ConfigureAwait(false) > 0 ? head.Head.Id : null, cancellationToken);

    /// <summary>Skips a blocked key's head: deletes its synchronization for the connector (as an operator's delete), so the key's later tasks go on.</summary>
    /// <param name="connectorName">The connector.</param>
    /// <param name="key">The ordering key.</param>
    /// <param name="direction">The direction of the blocked queue.</param>
    /// <param name="actor">Who asks, for the audit log.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The key as it was blocked (its head is the task skipped).</returns>
    /// <exception cref="ArgumentException">The connector name is empty, or the store knows no connector of that name (parameter <c>connectorName</c>).</exception>
    /// <exception cref="KeyNotBlockedException">The key is not blocked.</exception>
    public Task<BlockedKey> SkipHeadAsync(string connectorName, string key, TaskDirection direction = TaskDirection.Outgoing, string? actor = null, CancellationToken cancellationToken = default) =>
        ActAsync(connectorName, key, direction, actor, ManagementActions.SkipBlockedKey, async head =>
            await _store.Management.DeleteAsync(head.Head.Id, connectorName, cancellationToken).ConfigureAwait(false) > 0 ? head.Head.Id : null, cancellationToken);

    /// <summary>Releases a blocked key: its head stays failed (listed, retryable, deletable), but the key's later tasks no longer wait behind it.</summary>
    /// <remarks>Another task of the key that parks later blocks it again.</remarks>
    /// <param name="connectorName">The connector.</param>
    /// <param name="key">The ordering key.</param>
    /// <param name="direction">The direction of the blocked queue.</param>
    /// <param name="actor">Who asks, for the audit log.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The key as it was blocked (its head is the task released).</returns>
    /// <exception cref="ArgumentException">The connector name is empty, or the store knows no connector of that name (parameter <c>connectorName</c>).</exception>
    /// <exception cref="KeyNotBlockedException">The key is not blocked.</exception>
    public Task<BlockedKey> ReleaseAsync(string connectorName, string key, TaskDirection direction = TaskDirection.Outgoing, string? actor = null, CancellationToken cancellationToken = default) =>
        ActAsync(connectorName, key, direction, actor, ManagementActions.ReleaseBlockedKey, async head =>
            await _store.BlockedKeys.ReleaseAsync(connectorName, direction, key, cancellationToken).ConfigureAwait(false), cancellationToken);

    private async Task<BlockedKey> ActAsync(
        string connectorName, string key, TaskDirection direction, string? actor, string action, Func<BlockedKey, Task<long?>> change, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectorName);
        ArgumentNullException.ThrowIfNull(key);
        await EnsureConnectorAsync(connectorName, cancellationToken).ConfigureAwait(false);
        // The head acted on is the one the store changed: another operator may have acted on the key in between.
        var head = await _store.BlockedKeys.FindAsync(connectorName, direction, key, cancellationToken).ConfigureAwait(false);
        if (head is null || await change(head).ConfigureAwait(false) is not { } taskId)
        {
            throw new KeyNotBlockedException(
                $"Key '{key}' of connector '{connectorName}' ({direction}) is not blocked: no parked task holds it (any more). List the connector's blocked keys again.");
        }

        Log.BlockedKeyAction(_logger, actor ?? UnknownActor, action, head.Key, head.Connector, direction, taskId);
        await _store.Management.AppendAuditAsync(
            new AuditEntry
            {
                At = _time.GetUtcNow(),
                Actor = actor,
                Action = action,
                Target = string.Create(CultureInfo.InvariantCulture, $"key {head.Connector} {direction} {head.Key} task {taskId}"),
                Count = 1,
            },
            cancellationToken).ConfigureAwait(false);
        await _channel.WakeEverywhereAsync(head.Connector, direction, cancellationToken).ConfigureAwait(false);
        return head;
    }

    private async Task EnsureConnectorAsync(string connectorName, CancellationToken cancellationToken)
    {
        await _startup.EnsureStartedAsync(cancellationToken).ConfigureAwait(false);
        var connectors = await _store.Configuration.GetConnectorsAsync(cancellationToken).ConfigureAwait(false);
        if (!connectors.Any(c => string.Equals(c.Name, connectorName, StringComparison.OrdinalIgnoreCase)))
        {
            throw new ArgumentException($"No connector is named '{connectorName}'.", nameof(connectorName));
        }
    }
}
