using System.Collections.Concurrent;
using IntegrationBus.Storage;

namespace IntegrationBus;

/// <summary>
/// Group commit for incoming tasks: concurrent callers' tasks are appended in one store transaction. The caller that
/// gets the turn writes what is queued, batch after batch, until its own task is written; nobody waits for a turn that
/// no later caller would give.
/// </summary>
/// <remarks>
/// No background task: the batch is written by one of the callers. A caller cancelled while waiting for its turn
/// withdraws its task (it is never written); once a writer has taken the task, the caller gets its result. A batch that
/// fails fails every caller in it.
/// </remarks>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "SemaphoreSlim holds no unmanaged resource unless AvailableWaitHandle is used, which it is not.")]
internal sealed class IncomingAppendBatcher(QueueStore store)
{
    private const int MaxBatch = 500;
    private readonly SemaphoreSlim _turn = new(1, 1);
    private readonly ConcurrentQueue<Item> _queue = new();

    public async Task<IncomingAppendResult> AppendAsync(IncomingAppend append, CancellationToken cancellationToken)
    {
        var item = new Item(append);
        _queue.Enqueue(item);
        try
        {
            await _turn.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            if (item.TryWithdraw())
            {
                throw;
            }

            // A writer took the task before the cancellation: it is being written, so its result is the answer.
            return await item.Done.Task.ConfigureAwait(false);
        }

        try
        {
            // The task is either written by an earlier turn (which finished before releasing it) or still queued.
            while (!item.Done.Task.IsCompleted)
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
            if (next.TryClaim())
            {
                batch.Add(next);
            }
        }

        if (batch.Count == 0)
        {
            return;
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
        private const int Waiting = 0;
        private const int Claimed = 1;
        private const int Withdrawn = 2;
        private int _state;

        public IncomingAppend Append { get; } = append;

        public TaskCompletionSource<IncomingAppendResult> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>A writer takes the task, unless its caller withdrew it.</summary>
        public bool TryClaim() => Interlocked.CompareExchange(ref _state, Claimed, Waiting) == Waiting;

        /// <summary>The caller withdraws the task, unless a writer took it.</summary>
        public bool TryWithdraw() => Interlocked.CompareExchange(ref _state, Withdrawn, Waiting) == Waiting;
    }
}
