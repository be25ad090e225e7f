namespace IntegrationBus.Storage;

/// <summary>The ID map of a store that has none: it finds nothing, lists nothing and refuses writes.</summary>
internal sealed class UnsupportedIdMapStore : IdMapStore
{
    public static readonly UnsupportedIdMapStore Instance = new();

    public override Task<IReadOnlyList<IdMapEntry>> FindByObjectsAsync(string connector, IReadOnlyList<IdMapKey> keys, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<IdMapEntry>>([]);

    public override Task<IReadOnlyList<IdMapEntry>> FindByExternalIdsAsync(string connector, string objectType, IReadOnlyList<string> externalIds, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<IdMapEntry>>([]);

    public override Task<IReadOnlyList<IdMapEntry>> ListAsync(IdMapQuery query, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<IdMapEntry>>([]);

    public override Task SetAsync(IdMapEntry entry, CancellationToken cancellationToken) =>
        throw new NotSupportedException("This task store has no ID map: it does not override TaskStore.IdMap.");

    public override Task<bool> DeleteAsync(string connector, IdMapKey key, CancellationToken cancellationToken) => Task.FromResult(false);
}
