using System.Data.Common;
using IntegrationBus.Processing;
using IntegrationBus.Storage;
using IntegrationBus.TestKit;
using Microsoft.Extensions.Time.Testing;

namespace IntegrationBus.Tests.Processing;

public sealed class BatchReaderTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ReadAsync_FullBatch_AsksForTheNextBatchAtOnceAndHandsItOverWithoutAnotherRead()
    {
        var store = new PagingQueueStore(count: 7);
        var reader = new BatchReader(store, new FakeTimeProvider());
        await using var drop = reader.ConfigureAwait(false);

        var first = await reader.ReadAsync(Request(after: 0), Token);

        Assert.Equal([1L, 2L, 3L], first.Select(t => t.Id));
        Assert.Equal([0L, 3L], store.Reads);
        var second = await reader.ReadAsync(Request(after: 3), Token);
        var last = await reader.ReadAsync(Request(after: 6), Token);
        Assert.Equal([4L, 5L, 6L], second.Select(t => t.Id));
        Assert.Equal([7L], last.Select(t => t.Id));
        // The last batch is short: nothing is read ahead after it.
        Assert.Equal([0L, 3L, 6L], store.Reads);
    }

    [Fact]
    public async Task ReadAsync_RunStoppedInsideTheBatch_DropsTheReadAheadAndReadsWhatItAsksFor()
    {
        var store = new PagingQueueStore(count: 7);
        var reader = new BatchReader(store, new FakeTimeProvider());
        await using var drop = reader.ConfigureAwait(false);
        await reader.ReadAsync(Request(after: 0), Token);

        var again = await reader.ReadAsync(Request(after: 1), Token);

        Assert.Equal([2L, 3L, 4L], again.Select(t => t.Id));
        Assert.Equal([0L, 3L, 1L, 4L], store.Reads);
    }

    [Fact]
    public async Task DisposeAsync_ReadAheadFailed_TheFailureIsObservedAndNotThrown()
    {
        var store = new PagingQueueStore(count: 7) { FailAfter = 3 };
        var reader = new BatchReader(store, new FakeTimeProvider());
        await reader.ReadAsync(Request(after: 0), Token);

        await reader.DisposeAsync();

        Assert.Equal([0L, 3L], store.Reads);
    }

    private static FetchRequest Request(long after) => new() { Queue = new QueueKey("crm", TaskDirection.Outgoing), AfterTaskId = after, Limit = 3, Now = Some.Epoch };

    /// <summary>A queue of tasks 1..count that records the position of every read.</summary>
    private sealed class PagingQueueStore(int count) : QueueStore
    {
        public List<long> Reads { get; } = [];

        public long? FailAfter { get; init; }

        public override async Task<IReadOnlyList<QueuedTask>> FetchAsync(FetchRequest request, CancellationToken cancellationToken)
        {
            lock (Reads)
            {
                Reads.Add(request.AfterTaskId);
            }

            await System.Threading.Tasks.Task.Yield();
            if (request.AfterTaskId == FailAfter)
            {
                throw new InvalidOperationException("The store is down.");
            }

            return [.. Enumerable.Range(1, count).Where(id => id > request.AfterTaskId).Take(request.Limit).Select(id => Queued(id))];
        }

        public override Task<IReadOnlyList<long>> AppendAsync(IReadOnlyList<NewIntegrationTask> tasks, DbTransaction? transaction, CancellationToken cancellationToken) => throw new NotSupportedException();

        public override IReadOnlyList<long> Append(IReadOnlyList<NewIntegrationTask> tasks, DbTransaction transaction) => throw new NotSupportedException();

        public override Task<IReadOnlyList<IncomingAppendResult>> AppendIncomingAsync(IReadOnlyList<IncomingAppend> appends, CancellationToken cancellationToken) => throw new NotSupportedException();

        public override Task<bool> RecordAsync(RecordRequest request, CancellationToken cancellationToken) => throw new NotSupportedException();

        private static QueuedTask Queued(long id) => new()
        {
            Id = id, Guid = Guid.NewGuid(), Direction = TaskDirection.Outgoing, TaskType = TaskType.CreateObject, DataType = DataType.Simple,
            ObjectType = "test.object", Payload = "{}", CreatedAt = Some.Epoch,
        };
    }
}
