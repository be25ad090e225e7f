using System.Collections.Concurrent;
using System.Data.Common;
using IntegrationBus.Storage;

namespace IntegrationBus.Tests.Incoming;

public sealed class IncomingAppendBatcherTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AppendAsync_CallerCancelledWhileWaitingForItsTurn_ItsTaskIsNeverWritten()
    {
        var store = new GatedQueueStore();
        var batcher = new IncomingAppendBatcher(store);
        var first = batcher.AppendAsync(Append("first"), Token);
        await store.FirstWriteStarted.Task.WaitAsync(TimeSpan.FromSeconds(30), Token);

        using var cancel = new CancellationTokenSource();
        var cancelled = batcher.AppendAsync(Append("cancelled"), cancel.Token);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);

        store.Gate.SetResult();
        await first;
        await batcher.AppendAsync(Append("later"), Token);

        Assert.Equal(["first", "later"], store.Written.Select(a => a.IdempotencyKey));
    }

    [Fact]
    public async Task AppendAsync_MoreWaitingCallersThanOneBatchHolds_EveryCallerGetsItsResult()
    {
        var store = new GatedQueueStore();
        var batcher = new IncomingAppendBatcher(store);
        var first = batcher.AppendAsync(Append("k0"), Token);
        await store.FirstWriteStarted.Task.WaitAsync(TimeSpan.FromSeconds(30), Token);

        // 1,500 callers queue up behind the first write: three batches' worth.
        var waiting = Enumerable.Range(1, 1_500).Select(i => batcher.AppendAsync(Append($"k{i}"), Token)).ToList();
        store.Gate.SetResult();
        var results = await Task.WhenAll(waiting.Prepend(first)).WaitAsync(TimeSpan.FromSeconds(30), Token);

        Assert.Equal(1_501, results.Select(r => r.TaskId).Distinct().Count());
        Assert.Equal(1_501, store.Written.Count);
        Assert.True(store.Batches > 1, $"Expected several batches, got {store.Batches}.");
    }

    private static IncomingAppend Append(string key) => new(
        new NewIntegrationTask
        {
            Guid = Guid.NewGuid(),
            Direction = TaskDirection.Incoming,
            TaskType = TaskType.CreateObject,
            DataType = DataType.Simple,
            ObjectType = "crm.contact",
            Payload = "{}",
            CreatedAt = DateTimeOffset.UnixEpoch,
            Connectors = ["crm"],
            OriginConnector = "crm",
        },
        key,
        DateTimeOffset.UnixEpoch);

    /// <summary>A queue store whose first incoming append waits for a gate; it records what it writes.</summary>
    private sealed class GatedQueueStore : QueueStore
    {
        private long _nextId;
        private int _batches;

        public TaskCompletionSource FirstWriteStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Gate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ConcurrentQueue<IncomingAppend> Written { get; } = new();

        public int Batches => _batches;

        public override async Task<IReadOnlyList<IncomingAppendResult>> AppendIncomingAsync(IReadOnlyList<IncomingAppend> appends, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _batches);
            FirstWriteStarted.TrySetResult();
            await Gate.Task;
            var results = new List<IncomingAppendResult>();
            foreach (var append in appends)
            {
                Written.Enqueue(append);
                results.Add(new IncomingAppendResult(Interlocked.Increment(ref _nextId), append.Task.Guid, false));
            }

            return results;
        }

        public override Task<IReadOnlyList<long>> AppendAsync(IReadOnlyList<NewIntegrationTask> tasks, DbTransaction? transaction, CancellationToken cancellationToken) => throw new NotSupportedException();

        public override IReadOnlyList<long> Append(IReadOnlyList<NewIntegrationTask> tasks, DbTransaction transaction) => throw new NotSupportedException();

        public override Task<IReadOnlyList<QueuedTask>> FetchAsync(FetchRequest request, CancellationToken cancellationToken) => throw new NotSupportedException();

        public override Task<bool> RecordAsync(RecordRequest request, CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}
