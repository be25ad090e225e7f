using IntegrationBus.Storage;
using IntegrationBus.TestKit;
using Npgsql;

namespace IntegrationBus.PostgreSql.Tests;

/// <summary>Wake-ups across nodes: NOTIFY inside the appending transaction, once per queue, only on commit; the listener.</summary>
public sealed class PostgreSqlNotificationTests : IAsyncLifetime
{
    private const string EndMarker = "end-of-test";
    private PostgreSqlStoreFixture _fixture = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync()
    {
        _fixture = new PostgreSqlStoreFixture();
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync() => await _fixture.DisposeAsync();

    [Fact]
    public async Task AppendAsync_SeveralAppendsInOneTransaction_NotifiesOncePerQueueOnCommit()
    {
        var store = await _fixture.StartStoreAsync();
        var crm = Some.Connector();
        var erp = Some.Connector();
        await using var listener = await ListenAsync(store.Database.Channel);
        await using var connection = await _fixture.Server.OpenAsync();

        await using (var transaction = await connection.BeginTransactionAsync(Ct))
        {
            await store.Queue.AppendAsync([Some.Task(crm), Some.Task(crm, erp), Some.Task(crm)], transaction, Ct);
            store.Queue.Append([Some.Task(crm), Some.Task(erp)], transaction);
            await store.Queue.AppendAsync([Some.IncomingTask(erp, IncomingPolicy.Default, crm)], transaction, Ct);
            Assert.Empty(listener.Received);
            await transaction.CommitAsync(Ct);
        }

        var received = await listener.UntilEndAsync(_fixture.Server);

        Assert.Equal(3, received.Count);
        Assert.Equal(
            new HashSet<(string, TaskDirection)> { (crm, TaskDirection.Incoming), (crm, TaskDirection.Outgoing), (erp, TaskDirection.Outgoing) },
            received.Select(PostgreSqlNotification.Parse).Select(n => (n.Connector!, n.Direction!.Value)).ToHashSet());
        Assert.All(received.Select(PostgreSqlNotification.Parse), n => Assert.Equal((BusNotificationKind.QueueChanged, (string?)null), (n.Kind, n.Sender)));
    }

    [Fact]
    public async Task AppendAsync_TransactionRolledBack_NotifiesNobody()
    {
        var store = await _fixture.StartStoreAsync();
        var crm = Some.Connector();
        await using var listener = await ListenAsync(store.Database.Channel);
        await using var connection = await _fixture.Server.OpenAsync();

        await using (var transaction = await connection.BeginTransactionAsync(Ct))
        {
            await store.Queue.AppendAsync([Some.Task(crm)], transaction, Ct);
            await transaction.RollbackAsync(Ct);
        }

        Assert.Empty(await listener.UntilEndAsync(_fixture.Server));
        Assert.Empty(await PostgreSqlStoreFixture.FetchAllAsync(store, crm));
    }

    [Fact]
    public async Task AppendAsync_OwnTransaction_NotifiesOncePerQueueOfTheBatch()
    {
        var store = await _fixture.StartStoreAsync();
        var crm = Some.Connector();
        await using var listener = await ListenAsync(store.Database.Channel);

        await store.Queue.AppendAsync([.. Enumerable.Range(0, 50).Select(_ => Some.Task(crm))], null, Ct);

        var received = Assert.Single(await listener.UntilEndAsync(_fixture.Server));
        Assert.Equal(crm, PostgreSqlNotification.Parse(received).Connector);
    }

    [Fact]
    public async Task Notifier_AnotherStoreOnTheSameSchema_ReceivesPublishedNotification()
    {
        var store = await _fixture.StartStoreAsync();
        var other = await _fixture.StartStoreAsync(store.Database.Schema);
        var sent = new BusNotification { Kind = BusNotificationKind.ConnectorsChanged, Connector = "crm", Sender = "node-a" };
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var received = new TaskCompletionSource<BusNotification>(TaskCreationOptions.RunContinuationsAsynchronously);
        var listening = other.Notifier.ListenAsync((n, _) =>
        {
            received.TrySetResult(n);
            return ValueTask.CompletedTask;
        }, stop.Token);

        await PublishUntilAsync(store, sent, received.Task);

        Assert.Equal(sent, await received.Task);
        await stop.CancelAsync();
        await listening.WaitAsync(TimeSpan.FromSeconds(10), Ct);
    }

    /// <summary>Publishes until the listener (which starts listening at some point) has received one.</summary>
    internal static async Task PublishUntilAsync(TaskStore store, BusNotification notification, Task received)
    {
        for (var i = 0; i < 100 && !received.IsCompleted; i++)
        {
            await store.Notifier!.PublishAsync(notification, Ct);
            try
            {
                await received.WaitAsync(TimeSpan.FromMilliseconds(100), Ct);
            }
            catch (TimeoutException)
            {
                // Not listening yet: publish again.
            }
        }
    }

    private static async Task<Listener> ListenAsync(string channel)
    {
        var listener = new Listener(await PostgreSqlTestServer.Require().OpenAsync(), channel);
        await using var command = new NpgsqlCommand($"LISTEN \"{channel}\";", listener.Connection);
        await command.ExecuteNonQueryAsync(Ct);
        return listener;
    }

    /// <summary>A raw listening connection that collects payloads.</summary>
    private sealed class Listener : IAsyncDisposable
    {
        public Listener(NpgsqlConnection connection, string channel)
        {
            Connection = connection;
            Channel = channel;
            connection.Notification += (_, e) => Received.Add(e.Payload);
        }

        public NpgsqlConnection Connection { get; }

        public string Channel { get; }

        public List<string> Received { get; } = [];

        /// <summary>Sends the end marker after everything the test did, and collects until it arrives (notifications arrive in commit order).</summary>
        public async Task<List<string>> UntilEndAsync(PostgreSqlTestServer server)
        {
            await server.ScalarAsync<object>("SELECT pg_notify(@channel, @payload)::text;", ("channel", Channel), ("payload", EndMarker));
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(10));
            while (!Received.Contains(EndMarker))
            {
                await Connection.WaitAsync(timeout.Token);
            }

            return [.. Received.Where(p => p != EndMarker)];
        }

        public ValueTask DisposeAsync() => Connection.DisposeAsync();
    }
}
