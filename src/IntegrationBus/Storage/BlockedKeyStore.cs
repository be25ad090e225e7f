namespace IntegrationBus.Storage;

/// <summary>The blocked-key part of a <see cref="TaskStore"/>: keys of per-object ordering that parked tasks hold, for operators.</summary>
/// <remarks>
/// <para>
/// A key is blocked by a synchronization with status <see cref="SynchronizationStatus.Failed"/> (parked), not released,
/// that carries the key (<see cref="NewIntegrationTask.OrderingKeys"/>); every later task of the same connector,
/// direction and key waits behind it. Operators retry the head (<see cref="ManagementStore.RetryAsync"/>), delete it
/// (<see cref="ManagementStore.DeleteAsync"/>) or release it here: a released row stays failed (listed, retryable,
/// deletable) but no longer holds its key. A retry clears the release, so the task blocks its key again if it parks again.
/// </para>
/// <para>Connector names match as elsewhere in the store (SQLite and PostgreSQL: ASCII case-insensitive); keys match exactly.</para>
/// <para>The public members check their arguments, then call the protected <c>…CoreAsync</c> member that a store implements.</para>
/// </remarks>
public abstract class BlockedKeyStore
{
    /// <summary>Lists a connector's blocked keys, one page at a time.</summary>
    /// <param name="query">The connector, direction and page.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>At most <see cref="BlockedKeyQuery.Limit"/> keys after <see cref="BlockedKeyQuery.After"/>, by key (ordinal) then direction.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="query"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The query names no connector.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The query's limit is not positive.</exception>
    public Task<IReadOnlyList<BlockedKey>> ListAsync(BlockedKeyQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentException.ThrowIfNullOrWhiteSpace(query.Connector, nameof(query));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(query.Limit, nameof(query));
        return ListCoreAsync(query, cancellationToken);
    }

    /// <summary>Reads one blocked key of a connector.</summary>
    /// <param name="connector">The connector's code name.</param>
    /// <param name="direction">The direction.</param>
    /// <param name="key">The ordering key.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The key with its head, or <see langword="null"/> when the key is not blocked.</returns>
    /// <exception cref="ArgumentException"><paramref name="connector"/> is empty.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="connector"/> or <paramref name="key"/> is <see langword="null"/>.</exception>
    public Task<BlockedKey?> FindAsync(string connector, TaskDirection direction, string key, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connector);
        ArgumentNullException.ThrowIfNull(key);
        return FindCoreAsync(connector, direction, key, cancellationToken);
    }

    /// <summary>Counts blocked keys per queue (for overviews and health checks).</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The count of every queue that has a blocked key; queues without one are absent.</returns>
    public abstract Task<IReadOnlyDictionary<QueueKey, long>> CountAsync(CancellationToken cancellationToken);

    /// <summary>Releases a blocked key's head: it stays failed, but the key's later tasks no longer wait behind it.</summary>
    /// <remarks>Only the head is released; another parked task later in the key blocks it again.</remarks>
    /// <param name="connector">The connector's code name.</param>
    /// <param name="direction">The direction.</param>
    /// <param name="key">The ordering key.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The released head's task ID, or <see langword="null"/> when the key was not blocked (nothing changed).</returns>
    /// <exception cref="ArgumentException"><paramref name="connector"/> is empty.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="connector"/> or <paramref name="key"/> is <see langword="null"/>.</exception>
    public Task<long?> ReleaseAsync(string connector, TaskDirection direction, string key, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connector);
        ArgumentNullException.ThrowIfNull(key);
        return ReleaseCoreAsync(connector, direction, key, cancellationToken);
    }

    /// <summary>Lists a connector's blocked keys; called by <see cref="ListAsync"/> with a checked query.</summary>
    /// <inheritdoc cref="ListAsync(BlockedKeyQuery, CancellationToken)"/>
    protected abstract Task<IReadOnlyList<BlockedKey>> ListCoreAsync(BlockedKeyQuery query, CancellationToken cancellationToken);

    /// <summary>Reads one blocked key; called by <see cref="FindAsync"/> with checked arguments.</summary>
    /// <inheritdoc cref="FindAsync(string, TaskDirection, string, CancellationToken)"/>
    protected abstract Task<BlockedKey?> FindCoreAsync(string connector, TaskDirection direction, string key, CancellationToken cancellationToken);

    /// <summary>Releases a blocked key's head; called by <see cref="ReleaseAsync"/> with checked arguments.</summary>
    /// <inheritdoc cref="ReleaseAsync(string, TaskDirection, string, CancellationToken)"/>
    protected abstract Task<long?> ReleaseCoreAsync(string connector, TaskDirection direction, string key, CancellationToken cancellationToken);
}
