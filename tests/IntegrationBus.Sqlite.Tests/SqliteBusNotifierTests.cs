using IntegrationBus.Storage;
using IntegrationBus.TestKit;

namespace IntegrationBus.Sqlite.Tests;

/// <summary>The notifier between processes on one file: a table each store polls on its <see cref="TimeProvider"/>.</summary>
public sealed class SqliteBusNotifierTests : IDisposable
{
    private readonly SqliteTestFiles _files = new();
    private readonly TimerCountingTimeProvider _time = new(Some.Epoch);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _files.Dispose();

    [Fact]
    public async Task ListenAsync_TwoStoresOnOneFile_EachReceivesWhatTheOtherPublishes()
    {
        var path = _files.NewPath();
        var first = _files.NewStore(path, _time);
        var second = _files.NewStore(path, _time);
        await first.InitializeAsync(Ct);
        await second.InitializeAsync(Ct);
        var fromFirst = new BusNotification { Kind = BusNotificationKind.QueueChanged, Connector = "crm", Direction = TaskDirection.Outgoing, Sender = "node-1" };
        var fromSecond = new BusNotification { Kind = BusNotificationKind.ConnectorsChanged, Sender = "node-2" };
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var receivedBySecond = new TaskCompletionSource<BusNotification>(TaskCreationOptions.RunContinuationsAsynchronously);
        var receivedByFirst = new TaskCompletionSource<BusNotification>(TaskCreationOptions.RunContinuationsAsynchronously);
        var listeners = new[]
        {
            second.Notifier.ListenAsync(Receive(receivedBySecond, "node-1"), stop.Token),
            first.Notifier.ListenAsync(Receive(receivedByFirst, "node-2"), stop.Token),
        };
        // Each listener reads the newest notification, then waits on the clock: after that, nothing published is missed.
        await _time.TimersCreatedAsync(listeners.Length).WaitAsync(TimeSpan.FromSeconds(10), Ct);

        await first.Notifier.PublishAsync(fromFirst, Ct);
        await second.Notifier.PublishAsync(fromSecond, Ct);
        _time.Advance(TimeSpan.FromMilliseconds(500));

        Assert.Equal(fromFirst, await receivedBySecond.Task.WaitAsync(TimeSpan.FromSeconds(10), Ct));
        Assert.Equal(fromSecond, await receivedByFirst.Task.WaitAsync(TimeSpan.FromSeconds(10), Ct));
        await stop.CancelAsync();
        await Task.WhenAll(listeners).WaitAsync(TimeSpan.FromSeconds(10), Ct);
    }

    [Fact]
    public async Task ListenAsync_NotificationsPublishedBeforeItStarted_AreNotDelivered()
    {
        var store = _files.NewStore(_files.NewPath(), _time);
        await store.InitializeAsync(Ct);
        await store.Notifier.PublishAsync(new BusNotification { Kind = BusNotificationKind.SettingsChanged, Sender = "old" }, Ct);
        var received = new List<BusNotification>();
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var listener = store.Notifier.ListenAsync((notification, _) =>
        {
            received.Add(notification);
            arrived.TrySetResult();
            return ValueTask.CompletedTask;
        }, stop.Token);
        await _time.TimersCreatedAsync(1).WaitAsync(TimeSpan.FromSeconds(10), Ct);

        await store.Notifier.PublishAsync(new BusNotification { Kind = BusNotificationKind.SettingsChanged, Sender = "new" }, Ct);
        _time.Advance(TimeSpan.FromMilliseconds(500));
        await arrived.Task.WaitAsync(TimeSpan.FromSeconds(10), Ct);

        Assert.Equal(["new"], received.Select(n => n.Sender));
        await stop.CancelAsync();
        await listener.WaitAsync(TimeSpan.FromSeconds(10), Ct);
    }

    [Fact]
    public async Task PublishAsync_RowsOlderThanAMinute_AreDeleted()
    {
        var path = _files.NewPath();
        var store = _files.NewStore(path, _time);
        await store.InitializeAsync(Ct);
        await store.Notifier.PublishAsync(new BusNotification { Kind = BusNotificationKind.QueueChanged }, Ct);
        _time.Advance(TimeSpan.FromSeconds(30));
        await store.Notifier.PublishAsync(new BusNotification { Kind = BusNotificationKind.QueueChanged }, Ct);

        _time.Advance(TimeSpan.FromSeconds(31));
        await store.Notifier.PublishAsync(new BusNotification { Kind = BusNotificationKind.SettingsChanged }, Ct);

        await using var connection = await store.OpenConnectionAsync(Ct);
        Assert.Equal(2, await SqliteTestFiles.ScalarAsync<long>(connection, "SELECT COUNT(*) FROM integration_notification;"));
    }

    private static Func<BusNotification, CancellationToken, ValueTask> Receive(TaskCompletionSource<BusNotification> received, string sender) => (notification, _) =>
    {
        if (notification.Sender == sender)
        {
            received.TrySetResult(notification);
        }

        return ValueTask.CompletedTask;
    };
}
