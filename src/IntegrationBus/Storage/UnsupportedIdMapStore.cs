namespace IntegrationBus.Storage;

/// <summary>The ID map of a store that has none: it finds nothing, lists nothing and refuses writes.</summary>
internal sealed class UnsupportedIdMapStore : IdMapStore
{
    public static readonly UnsupportedIdMapStore Instance = new();

    protected override Task<IReadOnlyList<IdMapEntry>> FindByObjectsCoreAsync(string connector, IReadOnlyList<IdMapKey> keys, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<IdMapEntry>>([]);

    protected override Task<IReadOnlyList<IdMapEntry>> FindByExternalIdsCoreAsync(string connector, string objectType, IReadOnlyList<string> externalIds, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<IdMapEntry>>([]);

    protected override Task<IReadOnlyList<IdMapEntry>> ListCoreAsync(IdMapQuery query, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<IdMapEntry>>([]);

    protected override Task SetCoreAsync(IdMapEntry entry, CancellationToken cancellationToken) =>
        throw new NotSupportedException("This task store has no ID map: it does not override TaskStore.IdMap.");

    protected override Task<bool> DeleteCoreAsync(string connector, IdMapKey key, CancellationToken cancellationToken) => Task.FromResult(false);
}
