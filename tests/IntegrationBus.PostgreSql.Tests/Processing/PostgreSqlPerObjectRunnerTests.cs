using IntegrationBus.Storage;

namespace IntegrationBus.PostgreSql.Tests.Processing;

/// <summary>Ordering per object on PostgreSQL (issue 13): the runner's semantics on this store, and one connector's partitions on two nodes.</summary>
public sealed class PostgreSqlPerObjectRunnerTests : IAsyncDisposable
{
    private readonly PostgreSqlTestServer _server = PostgreSqlTestServer.Require();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task RunAsync_PerObjectUnderRandomErrors_EveryKeyDeliveredInLoggingOrderWithinTheLimit()
    {
        var recorder = new KeyRecorder();
        var random = new Random(1302);
        recorder.Result = (_, _) =>
        {
            lock (random)
            {
                return random.NextDouble() < 0.3 ? TaskResult.Error("flaky") : TaskResult.Ok;
            }
        };
        await using var node = await PgKeyedBus.StartAsync(_server, _server.NewSchema(), recorder, parallelism: 4, start: false);
        var logged = await node.LogKeysAsync(keys: 12, updates: 6);

        await node.StartAsync();
        await recorder.DeliveredAsync(72);

        Assert.Equal(logged, recorder.Delivered);
        Assert.False(recorder.KeyRanTwiceAtOnce);
        Assert.InRange(recorder.MaxConcurrency, 2, 4);
    }

    [Fact]
    public async Task RunAsync_PerObjectHeadParked_KeyHoldsItsLaterTasksUntilReleasedWhileOtherKeysFlow()
    {
        var recorder = new KeyRecorder();
        var failing = Guid.Empty;
        recorder.Result = (key, sequence) => key == failing && sequence == 0 ? TaskResult.Error("refused") : TaskResult.Ok;
        await using var node = await PgKeyedBus.StartAsync(_server, _server.NewSchema(), recorder, parallelism: 4, maxAttempts: 1, start: false);
        var logged = await node.LogKeysAsync(keys: 5, updates: 3);
        failing = logged.Keys.First();

        await node.StartAsync();
        await recorder.DeliveredAsync(12);
        var blocked = await BlockedAsync(node);

        Assert.Equal(failing.ToString("D"), blocked.Key);
        Assert.Equal(1, recorder.Calls[failing]);
        Assert.False(recorder.Delivered.ContainsKey(failing));
        Assert.All(logged.Where(k => k.Key != failing), k => Assert.Equal(k.Value, recorder.Delivered[k.Key]));

        await node.Management.BlockedKeys.ReleaseAsync("crm", blocked.Key, cancellationToken: Ct);
        await recorder.DeliveredAsync(14);

        Assert.Equal([1, 2], recorder.Delivered[failing]);
    }

    [Fact]
    public async Task RunAsync_TwoNodesThreePartitions_EveryKeyInOrderNeverTwiceAtOnceNothingLeft()
    {
        var schema = _server.NewSchema();
        var recorder = new KeyRecorder { Delay = TimeSpan.FromMilliseconds(5) };
        ScopeRecorder[] leasesTaken = [new(3002), new(3002)];
        await using var a = await PgKeyedBus.StartAsync(_server, schema, recorder, parallelism: 4, partitions: 3, start: false, node: "a", scopes: leasesTaken[0]);
        await using var b = await PgKeyedBus.StartAsync(_server, schema, recorder, parallelism: 4, partitions: 3, start: false, node: "b", scopes: leasesTaken[1]);
        var logged = await a.LogKeysAsync(keys: 30, updates: 10);

        await Task.WhenAll(a.StartAsync(), b.StartAsync());
        await recorder.DeliveredAsync(300);

        Assert.Equal(logged, recorder.Delivered);
        Assert.False(recorder.KeyRanTwiceAtOnce);
        Assert.Equal(3, (await _server.ScalarAsync<long>($"SELECT count(*) FROM \"{schema}\".integration_lease WHERE direction = 0 AND partition_count = 3;")));
        await WaitUntilEmptyAsync(a.Store);

        // A partition's runner logs in a scope that names its partition; the incoming queue's runner does not.
        var partitionScopes = leasesTaken.SelectMany(r => r.Seen).Select(s => s.SingleOrDefault(v => v.StartsWith("QueuePartition=", StringComparison.Ordinal))).ToList();
        Assert.Contains(null, partitionScopes);
        Assert.Equal(["QueuePartition=0 of 3", "QueuePartition=1 of 3", "QueuePartition=2 of 3"], partitionScopes.OfType<string>().Distinct().Order());
    }

    private static async Task<BlockedKey> BlockedAsync(PgKeyedBus node)
    {
        // The park is recorded with the batch that delivered the other keys: poll the store until it is committed.
        for (var attempt = 0; attempt < 300; attempt++)
        {
            var page = await node.Management.BlockedKeys.ListAsync(new BlockedKeyQuery { Connector = "crm" }, Ct);
            if (page.Items.Count > 0)
            {
                return Assert.Single(page.Items);
            }

            await Task.Delay(20, Ct);
        }

        throw new TimeoutException("No key was blocked within 6 s.");
    }

    private static async Task WaitUntilEmptyAsync(TaskStore store)
    {
        for (var attempt = 0; attempt < 300; attempt++)
        {
            var queues = await store.Management.GetQueuesAsync(Ct);
            if (queues.All(q => q.Depth == 0 && q.Failed == 0))
            {
                return;
            }

            await Task.Delay(20, Ct);
        }

        throw new TimeoutException("The queues did not empty within 6 s.");
    }
}
