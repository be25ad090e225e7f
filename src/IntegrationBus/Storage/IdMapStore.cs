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
/// </remarks>
public abstract class IdMapStore
{
    /// <summary>Finds a connector's entries of some objects, in one round trip.</summary>
    /// <param name="connector">The connector's code name.</param>
    /// <param name="keys">The objects; duplicates are allowed.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The entries found, at most one per key, in no particular order.</returns>
    public abstract Task<IReadOnlyList<IdMapEntry>> FindByObjectsAsync(string connector, IReadOnlyList<IdMapKey> keys, CancellationToken cancellationToken);

    /// <summary>Finds a connector's entries of one object type by external ID, in one round trip (the reverse look-up).</summary>
    /// <param name="connector">The connector's code name.</param>
    /// <param name="objectType">The object type.</param>
    /// <param name="externalIds">The external IDs' texts; duplicates are allowed.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The entries found, at most one per external ID, in no particular order.</returns>
    public abstract Task<IReadOnlyList<IdMapEntry>> FindByExternalIdsAsync(string connector, string objectType, IReadOnlyList<string> externalIds, CancellationToken cancellationToken);

    /// <summary>Lists a connector's entries that match a filter, one page at a time.</summary>
    /// <param name="query">The connector, filter and page.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The entries in ascending <see cref="IdMapEntry.Id"/> order.</returns>
    public abstract Task<IReadOnlyList<IdMapEntry>> ListAsync(IdMapQuery query, CancellationToken cancellationToken);

    /// <summary>Writes an entry: a new one, or over the object's existing one (which keeps its ID and creation time).</summary>
    /// <remarks>Another object of the same type that had the same external ID loses its entry: an external ID names one object.</remarks>
    /// <param name="entry">The entry; <see cref="IdMapEntry.Id"/> is ignored, <see cref="IdMapEntry.CreatedAt"/> only applies to a new entry.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when written.</returns>
    public abstract Task SetAsync(IdMapEntry entry, CancellationToken cancellationToken);

    /// <summary>Deletes a connector's entry of one object.</summary>
    /// <param name="connector">The connector's code name.</param>
    /// <param name="key">The object.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Whether an entry was deleted.</returns>
    public abstract Task<bool> DeleteAsync(string connector, IdMapKey key, CancellationToken cancellationToken);
}
