namespace IntegrationBus.Processing;

/// <summary>
/// The look-ups of a batch of incoming tasks, made in one call per batch and answered from memory; a look-up that was
/// not fetched goes to the handler as usual. Only valid until the application's data changes (see <see cref="Forget"/>).
/// </summary>
internal sealed class PrefetchedLookups(IInternalBatchDataHandler handler) : IInternalDataHandler
{
    private readonly Dictionary<ObjectLookup, long?> _known = [];

    public async Task PrefetchAsync(IEnumerable<ObjectLookup> lookups, CancellationToken cancellationToken)
    {
        var wanted = lookups.Where(l => !_known.ContainsKey(l)).Distinct().ToList();
        if (wanted.Count == 0)
        {
            return;
        }

        var ids = await handler.FindObjectIdsAsync(wanted, cancellationToken).ConfigureAwait(false);
        if (ids.Count != wanted.Count)
        {
            throw new IntegrationBusException($"The data handler answered {ids.Count} look-ups for {wanted.Count}; FindObjectIdsAsync must answer each in order.");
        }

        for (var i = 0; i < wanted.Count; i++)
        {
            _known[wanted[i]] = ids[i];
        }
    }

    /// <summary>Gets the prefetched answer to a look-up, if it was prefetched.</summary>
    public bool TryGetKnown(ObjectLookup lookup, out long? id) => _known.TryGetValue(lookup, out id);

    /// <summary>Forgets every answer (the data changed).</summary>
    public void Forget() => _known.Clear();

    public Task<long?> FindObjectIdAsync(ObjectLookup lookup, CancellationToken cancellationToken) =>
        _known.TryGetValue(lookup, out var id) ? Task.FromResult(id) : handler.FindObjectIdAsync(lookup, cancellationToken);

    public Task<TaskResult> ApplyAsync(IncomingTask task, CancellationToken cancellationToken) =>
        throw new NotSupportedException("Prefetched look-ups apply nothing.");
}
