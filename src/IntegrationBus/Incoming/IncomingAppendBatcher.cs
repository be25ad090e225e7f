using System.Collections.Concurrent;
using IntegrationBus.Storage;

namespace IntegrationBus.Incoming;

/// <summary>
/// Group commit for incoming tasks: concurrent callers' tasks are appended in one store transaction. The caller that
/// gets the turn writes everything queued so far; the others find their result ready when their turn comes.
/// </summary>
/// <remarks>No background task: the batch is written by one of the callers. A batch that fails fails every caller in it.</remarks>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "SemaphoreSlim holds no unmanaged resource unless AvailableWaitHandle is used, which it is not.")]
internal sealed class IncomingAppendBatcher(ITaskStore store)
{
    private const int MaxBatch = 500;
    private readonly SemaphoreSlim _turn = new(1, 1);
    private readonly ConcurrentQueue<Item> _queue = new();

    public async Task<IncomingAppendResult> AppendAsync(IncomingAppend append, CancellationToken cancellationToken)
    {
        var item = new Item(append);
        _queue.Enqueue(item);
        await _turn.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!item.Done.Task.IsCompleted)
            {
                await WriteQueuedAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            _turn.Release();
        }

        return await item.Done.Task.ConfigureAwait(false);
    }

    private async Task WriteQueuedAsync()
    {
        var batch = new List<Item>();
        while (batch.Count < MaxBatch && _queue.TryDequeue(out var next))
        {
            batch.Add(next);
        }

        try
        {
            // Not the caller's token: the batch holds other callers' tasks too.
            var results = await store.AppendIncomingAsync([.. batch.Select(i => i.Append)], CancellationToken.None).ConfigureAwait(false);
            for (var i = 0; i < batch.Count; i++)
            {
                batch[i].Done.TrySetResult(results[i]);
            }
        }
        catch (Exception exception)
        {
            foreach (var waiting in batch)
            {
                waiting.Done.TrySetException(exception);
            }
        }
    }

    private sealed class Item(IncomingAppend append)
    {
        public IncomingAppend Append { get; } = append;

        public TaskCompletionSource<IncomingAppendResult> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
