using IntegrationBus.Storage;
using IntegrationBus.TestKit;
using Npgsql;

namespace IntegrationBus.PostgreSql.Tests;

/// <summary>Connection loss: the store's backends terminated by the server.</summary>
public sealed class PostgreSqlConnectionTests : IAsyncLifetime
{
    private PostgreSqlStoreFixture _fixture = null!;
    private PostgreSqlTaskStore _store = null!;
    private string _application = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _fixture = new PostgreSqlStoreFixture();
        _application = $"ibus-test-{Guid.NewGuid():N}";
        var connectionString = new NpgsqlConnectionStringBuilder(_fixture.Server.ConnectionString) { ApplicationName = _application }.ConnectionString;
        _store = await _fixture.StartStoreAsync(configure: o => o.ConnectionString = connectionString);
    }

    public async ValueTask DisposeAsync() => await _fixture.DisposeAsync();

    [Fact]
    public async Task AppendAndFetch_AfterTheServerTerminatedTheStoreConnections_WorkAgain()
    {
        var crm = Some.Connector();
        var first = await _store.Queue.AppendAsync([Some.Task(crm)], null, Ct);
        Assert.True(await TerminateAsync() > 0);

        // A pooled connection the server closed fails on its next use; the pool drops it and the call after works.
        await IgnoreFailureAsync(() => _store.Queue.AppendAsync([Some.Task(crm)], null, Ct));
        var second = await _store.Queue.AppendAsync([Some.Task(crm)], null, Ct);

        Assert.Contains(first[0], (await PostgreSqlStoreFixture.FetchAllAsync(_store, crm)).Select(t => t.Id));
        Assert.Contains(second[0], (await PostgreSqlStoreFixture.FetchAllAsync(_store, crm)).Select(t => t.Id));
    }

    [Fact]
    public async Task ListenAsync_ConnectionTerminated_ThrowsAndListensAgain()
    {
        var sent = new BusNotification { Kind = BusNotificationKind.SettingsChanged, Sender = "node-a" };
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var first = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var listening = _store.Notifier.ListenAsync((_, _) =>
        {
            first.TrySetResult();
            return ValueTask.CompletedTask;
        }, stop.Token);
        await PostgreSqlNotificationTests.PublishUntilAsync(_store, sent, first.Task);
        Assert.True(first.Task.IsCompleted);

        await TerminateAsync();

        await Assert.ThrowsAnyAsync<Exception>(() => listening.WaitAsync(TimeSpan.FromSeconds(10), Ct));
        var second = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var again = _store.Notifier.ListenAsync((_, _) =>
        {
            second.TrySetResult();
            return ValueTask.CompletedTask;
        }, stop.Token);
        for (var i = 0; i < 3 && !second.Task.IsCompleted; i++)
        {
            await IgnoreFailureAsync(() => _store.Notifier.PublishAsync(sent, Ct));
            await PostgreSqlNotificationTests.PublishUntilAsync(_store, sent, second.Task);
        }

        Assert.True(second.Task.IsCompleted);
        await stop.CancelAsync();
        await again.WaitAsync(TimeSpan.FromSeconds(10), Ct);
    }

    private static async Task IgnoreFailureAsync(Func<Task> call)
    {
        try
        {
            await call();
        }
        catch (NpgsqlException)
        {
            // The one call that meets the broken connection.
        }
    }

    private Task<long> TerminateAsync() => _fixture.Server.ScalarAsync<long>(
        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = @application;", ("application", _application));
}
