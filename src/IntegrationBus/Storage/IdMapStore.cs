namespace IntegrationBus.Storage;

/// <summary>The ID-map part of a <see cref="TaskStore"/>: internal object ↔ external ID, per connector and object type.</summary>
/// <remarks>
/// <para>
/// Entries are written by <see cref="QueueStore.RecordAsync"/> from an OK outcome's <see cref="TaskOutcome.ExternalId"/>
/// (in the transaction that acknowledges the task) and removed by one marked <see cref="TaskOutcome.ForgetExternalId"/>;
/// this part reads them, and lets operators and applications set or delete one. An external ID is matched by its text
/// (<see cref="ExternalId.ToString"/>): the integer 42 and the string "42" are the same ID.
/// </para>
/// <para>
/// Retention never purges entries: they live as long as the object does.
/// </para>
/// <para>The public members check their arguments, then call the protected <c>…CoreAsync</c> member that a store implements.</para>
/// </remarks>
public abstract class IdMapStore
{
    /// <summary>Finds a connector's entries of some objects, in one round trip.</summary>
    /// <param name="connector">The connector's code name.</param>
    /// <param name="keys">The objects; duplicates are allowed.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The entries found, at most one per key, in no particular order.</returns>
    /// <exception cref="ArgumentException"><paramref name="connector"/> is empty.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="connector"/> or <paramref name="keys"/> is <see langword="null"/>.</exception>
    public Task<IReadOnlyList<IdMapEntry>> FindByObjectsAsync(string connector, IReadOnlyList<IdMapKey> keys, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connector);
        ArgumentNullException.ThrowIfNull(keys);
        return FindByObjectsCoreAsync(connector, keys, cancellationToken);
    }

    /// <summary>Finds a connector's entries of one object type by external ID, in one round trip (the reverse look-up).</summary>
    /// <param name="connector">The connector's code name.</param>
    /// <param name="objectType">The object type.</param>
    /// <param name="externalIds">The external IDs' texts; duplicates are allowed.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The entries found, at most one per external ID, in no particular order.</returns>
    /// <exception cref="ArgumentException"><paramref name="connector"/> or <paramref name="objectType"/> is empty.</exception>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public Task<IReadOnlyList<IdMapEntry>> FindByExternalIdsAsync(string connector, string objectType, IReadOnlyList<string> externalIds, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connector);
        ArgumentException.ThrowIfNullOrWhiteSpace(objectType);
        ArgumentNullException.ThrowIfNull(externalIds);
        return FindByExternalIdsCoreAsync(connector, objectType, externalIds, cancellationToken);
    }

    /// <summary>Lists a connector's entries that match a filter, one page at a time.</summary>
    /// <param name="query">The connector, filter and page.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The entries in ascending <see cref="IdMapEntry.Id"/> order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="query"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The query names no connector.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The query's limit is not positive.</exception>
    public Task<IReadOnlyList<IdMapEntry>> ListAsync(IdMapQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentException.ThrowIfNullOrWhiteSpace(query.Connector, nameof(query));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(query.Limit, nameof(query));
        return ListCoreAsync(query, cancellationToken);
    }

    /// <summary>Writes an entry: a new one, or over the object's existing one (which keeps its ID and creation time).</summary>
    /// <remarks>Another object of the same type that had the same external ID loses its entry: an external ID names one object.</remarks>
    /// <param name="entry">The entry; <see cref="IdMapEntry.Id"/> is ignored, <see cref="IdMapEntry.CreatedAt"/> only applies to a new entry.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when written.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="entry"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The entry names no connector or object type, or its external ID is empty.</exception>
    public Task SetAsync(IdMapEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentException.ThrowIfNullOrWhiteSpace(entry.Connector, nameof(entry));
        ArgumentException.ThrowIfNullOrWhiteSpace(entry.ObjectType, nameof(entry));
        ArgumentException.ThrowIfNullOrEmpty(entry.ExternalId.ToString(), nameof(entry));
        return SetCoreAsync(entry, cancellationToken);
    }

    /// <summary>Deletes a connector's entry of one object.</summary>
    /// <param name="connector">The connector's code name.</param>
    /// <param name="key">The object.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Whether an entry was deleted.</returns>
    /// <exception cref="ArgumentException"><paramref name="connector"/> or the key's object type is empty.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="connector"/> is <see langword="null"/>.</exception>
    public Task<bool> DeleteAsync(string connector, IdMapKey key, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connector);
        ArgumentException.ThrowIfNullOrWhiteSpace(key.ObjectType, nameof(key));
        return DeleteCoreAsync(connector, key, cancellationToken);
    }

    /// <summary>Finds a connector's entries of some objects; called by <see cref="FindByObjectsAsync"/> with checked arguments.</summary>
    /// <inheritdoc cref="FindByObjectsAsync(string, IReadOnlyList{IdMapKey}, CancellationToken)"/>
    protected abstract Task<IReadOnlyList<IdMapEntry>> FindByObjectsCoreAsync(string connector, IReadOnlyList<IdMapKey> keys, CancellationToken cancellationToken);

    /// <summary>Finds a connector's entries by external ID; called by <see cref="FindByExternalIdsAsync"/> with checked arguments.</summary>
    /// <inheritdoc cref="FindByExternalIdsAsync(string, string, IReadOnlyList{string}, CancellationToken)"/>
    protected abstract Task<IReadOnlyList<IdMapEntry>> FindByExternalIdsCoreAsync(string connector, string objectType, IReadOnlyList<string> externalIds, CancellationToken cancellationToken);

    /// <summary>Lists a connector's entries; called by <see cref="ListAsync"/> with a checked query.</summary>
    /// <inheritdoc cref="ListAsync(IdMapQuery, CancellationToken)"/>
    protected abstract Task<IReadOnlyList<IdMapEntry>> ListCoreAsync(IdMapQuery query, CancellationToken cancellationToken);

    /// <summary>Writes an entry; called by <see cref="SetAsync"/> with a checked entry.</summary>
    /// <inheritdoc cref="SetAsync(IdMapEntry, CancellationToken)"/>
    protected abstract Task SetCoreAsync(IdMapEntry entry, CancellationToken cancellationToken);

    /// <summary>Deletes a connector's entry of one object; called by <see cref="DeleteAsync"/> with checked arguments.</summary>
    /// <inheritdoc cref="DeleteAsync(string, IdMapKey, CancellationToken)"/>
    protected abstract Task<bool> DeleteCoreAsync(string connector, IdMapKey key, CancellationToken cancellationToken);
}
