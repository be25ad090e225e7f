using IntegrationBus.Storage;

namespace IntegrationBus.Processing;

/// <summary>
/// Reads a run's batches: when a batch comes back full, the next one (the tasks after its last) is asked for at once, so
/// that a server store reads it while this node calls the connector and records the results.
/// </summary>
/// <remarks>
/// The read ahead is used only when the run asks for exactly the tasks after the last one of the batch before (the run
/// went through the whole batch); otherwise it is dropped. Reading is side-effect free, so a dropped read costs nothing
/// but the read. Tasks committed after the read ahead started come with a later batch or the next run, as they would
/// after any read. A store whose calls complete synchronously (SQLite) simply reads the next batch earlier.
/// </remarks>
internal sealed class BatchReader(QueueStore store, TimeProvider time) : IAsyncDisposable
{
    private Task<IReadOnlyList<QueuedTask>>? _next;
    private FetchRequest? _nextRequest;

    /// <summary>Reads the batch <paramref name="request"/> names, from the read ahead when it is that one.</summary>
    /// <param name="request">The batch.</param>
    /// <param name="runToken">The run's token; it also cancels the read ahead.</param>
    /// <returns>The batch.</returns>
    public async Task<IReadOnlyList<QueuedTask>> ReadAsync(FetchRequest request, CancellationToken runToken)
    {
        IReadOnlyList<QueuedTask> batch;
        if (_next is { } next && _nextRequest is { } ahead && ahead.AfterTaskId == request.AfterTaskId && ahead.Queue == request.Queue
            && ahead.Limit == request.Limit && ahead.Ordering == request.Ordering)
        {
            _next = null;
            batch = await next.ConfigureAwait(false);
        }
        else
        {
            await DropAsync().ConfigureAwait(false);
            batch = await store.FetchAsync(request, runToken).ConfigureAwait(false);
        }

        if (batch.Count == request.Limit)
        {
            _nextRequest = request with { AfterTaskId = batch[^1].Id, Now = time.GetUtcNow() };
            _next = store.FetchAsync(_nextRequest, runToken);
        }

        return batch;
    }

    /// <summary>Drops a read ahead the run did not use.</summary>
    /// <returns>A task that completes when the read ahead has ended.</returns>
    public ValueTask DisposeAsync() => new(DropAsync());

    private async Task DropAsync()
    {
        if (_next is not { } next)
        {
            return;
        }

        _next = null;
        try
        {
            await next.ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            // Nobody needs what it read, nor why it failed: the run has moved on or ended.
        }
    }
}
