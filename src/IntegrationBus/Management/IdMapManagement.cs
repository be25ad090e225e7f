using System.Globalization;
using IntegrationBus.Storage;
using Microsoft.Extensions.Logging;

namespace IntegrationBus.Management;

/// <summary>What operators see and do with the ID map: list and find a connector's entries, delete one (audited).</summary>
/// <remarks>
/// Reached through <see cref="IntegrationBusManagement.IdMap"/>; the HTTP management API and <c>ibus idmap</c> are thin
/// layers over it. Entries are written by the runners (<see cref="TaskResult.OkWithExternalId"/>) and removed when the
/// connector acknowledges the object's delete; retention never purges them. Thread-safe.
/// </remarks>
public sealed class IdMapManagement
{
    private const string UnknownActor = "unknown";
    private readonly BusStartup _startup;
    private readonly TaskStore _store;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    internal IdMapManagement(BusStartup startup, TaskStore store, TimeProvider time, ILogger logger)
    {
        _startup = startup;
        _store = store;
        _time = time;
        _logger = logger;
    }

    /// <summary>Lists a connector's entries that match a filter (object type, object GUID, external ID), one page at a time.</summary>
    /// <param name="query">The connector, filter and page; <see cref="IdMapQuery.Limit"/> is 1 to <see cref="IntegrationBusManagement.MaxPageSize"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The page, with the entry ID to read the next one after.</returns>
    /// <exception cref="ArgumentException">The connector name is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The page size is out of range.</exception>
    public async Task<IdMapPage> ListAsync(IdMapQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentException.ThrowIfNullOrWhiteSpace(query.Connector, nameof(query));
        if (query.Limit is < 1 or > IntegrationBusManagement.MaxPageSize)
        {
            throw new ArgumentOutOfRangeException(nameof(query), query.Limit, string.Create(CultureInfo.InvariantCulture, $"IdMapQuery.Limit must be between 1 and {IntegrationBusManagement.MaxPageSize}; it was {query.Limit}."));
        }

        await _startup.EnsureStartedAsync(cancellationToken).ConfigureAwait(false);
        var items = await _store.IdMap.ListAsync(query, cancellationToken).ConfigureAwait(false);
        return new IdMapPage { Items = items, Next = items.Count == query.Limit ? items[^1].Id : null };
    }

    /// <summary>Deletes a connector's entry of one object, so that its next task carries no external ID (the connector creates the object anew, say).</summary>
    /// <param name="connectorName">The connector.</param>
    /// <param name="objectType">The object type.</param>
    /// <param name="objectGuid">The object's GUID.</param>
    /// <param name="actor">Who asks, for the audit log.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Whether an entry was deleted; only then is the deletion audited.</returns>
    /// <exception cref="ArgumentException">The connector name or object type is empty.</exception>
    public async Task<bool> DeleteAsync(string connectorName, string objectType, Guid objectGuid, string? actor = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectorName);
        ArgumentException.ThrowIfNullOrWhiteSpace(objectType);
        await _startup.EnsureStartedAsync(cancellationToken).ConfigureAwait(false);
        if (!await _store.IdMap.DeleteAsync(connectorName, new IdMapKey(objectType, objectGuid), cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        Log.IdMapEntryDeleted(_logger, actor ?? UnknownActor, connectorName, objectType, objectGuid);
        await _store.Management.AppendAuditAsync(
            new AuditEntry
            {
                At = _time.GetUtcNow(),
                Actor = actor,
                Action = ManagementActions.DeleteIdMapEntry,
                Target = string.Create(CultureInfo.InvariantCulture, $"id-map {connectorName} {objectType} {objectGuid:D}"),
                Count = 1,
            },
            cancellationToken).ConfigureAwait(false);
        return true;
    }
}
