namespace IntegrationBus.Storage;

/// <summary>The blocked keys of a store that keeps no ordering keys: none are ever blocked.</summary>
internal sealed class UnsupportedBlockedKeyStore : BlockedKeyStore
{
    public static readonly UnsupportedBlockedKeyStore Instance = new();

    protected override Task<IReadOnlyList<BlockedKey>> ListCoreAsync(BlockedKeyQuery query, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<BlockedKey>>([]);

    protected override Task<BlockedKey?> FindCoreAsync(string connector, TaskDirection direction, string key, CancellationToken cancellationToken) =>
        Task.FromResult<BlockedKey?>(null);

    public override Task<IReadOnlyDictionary<QueueKey, long>> CountAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyDictionary<QueueKey, long>>(new Dictionary<QueueKey, long>());

    protected override Task<long?> ReleaseCoreAsync(string connector, TaskDirection direction, string key, CancellationToken cancellationToken) =>
        Task.FromResult<long?>(null);
}
