using IntegrationBus.Tests.Support;
using Microsoft.Data.Sqlite;

namespace IntegrationBus.Tests.Outgoing;

public sealed class IntegrationScopeTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static RecordingConnector Crm(SubscriptionMode mode = SubscriptionMode.AsyncSimple) =>
        new("crm", s => s.Objects("cms.user", mode));

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task CompleteAsync_CallerTransaction_TaskExistsOnlyIfCallerCommits(bool commit)
    {
        var crm = Crm();
        await using var bus = await TestBus.StartAsync([crm], start: false);
        await bus.EnsureStartedAsync();
        await using (var connection = new SqliteConnection(bus.ConnectionString))
        {
            await connection.OpenAsync(Token);
            await using (var create = connection.CreateCommand())
            {
                create.CommandText = "CREATE TABLE app_user (id INTEGER PRIMARY KEY, name TEXT)";
                await create.ExecuteNonQueryAsync(Token);
            }

            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(Token);
            await using (var scope = bus.Bus.BeginScope(transaction))
            {
                await using (var insert = connection.CreateCommand())
                {
                    insert.Transaction = transaction;
                    insert.CommandText = "INSERT INTO app_user (id, name) VALUES (1, 'ann')";
                    await insert.ExecuteNonQueryAsync(Token);
                }

                await scope.LogChangeAsync(SampleTypes.NewUser(1, "ann"), TaskType.CreateObject, Token);
                await scope.CompleteAsync(Token);
                if (commit)
                {
                    await transaction.CommitAsync(Token);
                }
                else
                {
                    await transaction.RollbackAsync(Token);
                }
            }
        }

        Assert.Equal(commit ? 1 : 0, (await bus.ListAsync("crm")).Count);
        if (commit)
        {
            await bus.StartHostAsync();
            await crm.WaitForCallsAsync(1);
            Assert.Equal("ann", crm.Calls[0].Object.CodeName);
        }
    }

    [Fact]
    public async Task DisposeAsync_WithoutComplete_WritesNothing()
    {
        await using var bus = await TestBus.StartAsync([Crm()], start: false);
        await using (var scope = bus.Bus.BeginScope())
        {
            await scope.LogChangeAsync(SampleTypes.NewUser(1, "ann"), TaskType.CreateObject, Token);
            Assert.Equal(1, scope.PendingCount);
        }

        Assert.Empty(await bus.ListAsync());
        Assert.Null(bus.Bus.CurrentScope);
    }

    [Fact]
    public async Task LogChangeAsync_AmbientScope_WritesOneBatchAtCompletion()
    {
        await using var bus = await TestBus.StartAsync([Crm()], start: false);
        await using (var scope = bus.Bus.BeginScope())
        {
            Assert.Same(scope, bus.Bus.CurrentScope);
            await bus.Bus.LogChangeAsync(SampleTypes.NewUser(1, "a"), TaskType.CreateObject, Token);
            await bus.Bus.LogChangeAsync(SampleTypes.NewUser(2, "b"), TaskType.CreateObject, Token);
            Assert.Empty(await bus.ListAsync());
            await scope.CompleteAsync(Token);
        }

        Assert.Equal(2, (await bus.ListAsync()).Count);
    }

    [Fact]
    public async Task LogChangeAsync_UpdateThatChangedNoField_LogsNothing()
    {
        await using var bus = await TestBus.StartAsync([Crm()], start: false);
        var before = SampleTypes.NewUser(1, "ann");
        var same = before.Clone();
        var changed = before.Clone();
        changed["Email"] = "new@example.com";

        await bus.Bus.LogChangeAsync(same, TaskType.UpdateObject, before, Token);
        Assert.Empty(await bus.ListAsync());
        await bus.Bus.LogChangeAsync(changed, TaskType.UpdateObject, before, Token);
        Assert.Single(await bus.ListAsync());
    }

    [Fact]
    public async Task LogChangeAsync_ObjectChangedAfterLogging_TaskKeepsLoggedValues()
    {
        var crm = Crm();
        await using var bus = await TestBus.StartAsync([crm]);
        var user = SampleTypes.NewUser(1, "ann");
        await using (var scope = bus.Bus.BeginScope())
        {
            await scope.LogChangeAsync(user, TaskType.CreateObject, Token);
            user["Email"] = "changed@example.com";
            await scope.CompleteAsync(Token);
        }

        await crm.WaitForCallsAsync(1);
        Assert.Equal("ann@example.com", crm.Calls[0].Object["Email"]);
    }

    [Fact]
    public async Task LogChangeAsync_SeveralSubscriptionsOfOneConnector_OneTaskWithStrongestMode()
    {
        var crm = new RecordingConnector("crm", s => s
            .AllObjects(SubscriptionMode.AsyncSimple)
            .Objects("cms.user", SubscriptionMode.AsyncSimpleSnapshot)
            .Objects("cms.%", SubscriptionMode.AsyncSnapshot));
        var search = new RecordingConnector("search", s => s.AllObjects(SubscriptionMode.AsyncSimple));
        await using var bus = await TestBus.StartAsync([crm, search], start: false);

        await bus.Bus.LogChangeAsync(SampleTypes.NewUser(1, "ann"), TaskType.CreateObject, Token);

        var rows = await bus.ListAsync();
        Assert.Equal(2, rows.Count);
        Assert.Equal(DataType.Snapshot, rows.Single(r => r.Connector == "crm").DataType);
        Assert.Equal(DataType.Simple, rows.Single(r => r.Connector == "search").DataType);
    }

    [Fact]
    public async Task LogChangeAsync_PageWithSnapshotSubscription_DowngradedToSimpleSnapshot()
    {
        var search = new RecordingConnector("search", s => s.AllPages(SubscriptionMode.AsyncSnapshot));
        await using var bus = await TestBus.StartAsync([search], start: false);
        var page = SampleTypes.Create(SampleTypes.Article,
            ("DocumentID", 7), ("NodeGUID", Guid.NewGuid()), ("NodeAliasPath", "/News/One"), ("DocumentCulture", "en-US"), ("SiteName", "main"));

        await bus.Bus.LogChangeAsync(page, TaskType.PublishPage, Token);

        Assert.Equal(DataType.SimpleSnapshot, Assert.Single(await bus.ListAsync()).DataType);
    }

    [Fact]
    public async Task LogChangeAsync_WrongTaskTypeForObject_ThrowsClearError()
    {
        await using var bus = await TestBus.StartAsync([Crm()], start: false);
        var exception = await Assert.ThrowsAsync<ArgumentException>(async () =>
            await bus.Bus.LogChangeAsync(SampleTypes.NewUser(1, "a"), TaskType.PublishPage, Token));
        Assert.Contains("'cms.user' is an object type", exception.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () =>
            await bus.Bus.LogChangeAsync(SampleTypes.NewUser(1, "a"), TaskType.All, Token));
    }

    [Fact]
    public async Task LogChangeAsync_SynchronousConnectorFails_ChangeStandsAndOthersRun()
    {
        var audit = new RecordingConnector("audit", s => s.AllObjects(SubscriptionMode.Sync))
        {
            SynchronousBehaviour = _ => throw new InvalidOperationException("audit log full"),
        };
        var mirror = new RecordingConnector("mirror", s => s.AllObjects(SubscriptionMode.Sync));
        var crm = Crm();
        await using var bus = await TestBus.StartAsync([audit, mirror, crm]);
        var failures = new List<string>();
        bus.Bus.SynchronousProcessingFailed += (_, e) => failures.Add($"{e.ConnectorName}: {e.Message}");
        var user = SampleTypes.NewUser(1, "ann");

        await bus.Bus.LogChangeAsync(user, TaskType.CreateObject, Token);

        Assert.Equal(["audit: audit log full"], failures);
        Assert.Same(user, Assert.Single(mirror.SynchronousCalls).Object);
        await crm.WaitForCallsAsync(1);
    }

    [Fact]
    public async Task Settings_LogOutgoingOff_NothingLoggedAndNoSyncCall()
    {
        var sync = new RecordingConnector("audit", s => s.AllObjects(SubscriptionMode.Sync));
        await using var bus = await TestBus.StartAsync([Crm(), sync], start: false);
        await bus.Management.UpdateSettingsAsync(BusSettings.Default with { LogOutgoing = false }, cancellationToken: Token);

        await bus.Bus.LogChangeAsync(SampleTypes.NewUser(1, "a"), TaskType.CreateObject, Token);

        Assert.Empty(await bus.ListAsync());
        Assert.Empty(sync.SynchronousCalls);
        Assert.False((await bus.Management.GetSettingsAsync(Token)).LogOutgoing);
    }

    [Fact]
    public async Task Settings_BusDisabled_NothingLogged()
    {
        await using var bus = await TestBus.StartAsync([Crm()], start: false);
        await bus.Management.UpdateSettingsAsync(BusSettings.Default with { Enabled = false }, cancellationToken: Token);
        await bus.Bus.LogChangeAsync(SampleTypes.NewUser(1, "a"), TaskType.CreateObject, Token);
        Assert.Empty(await bus.ListAsync());
    }

    [Fact]
    public async Task Settings_ProcessOutgoingOff_TasksWaitUntilSwitchedOn()
    {
        var crm = Crm();
        await using var bus = await TestBus.StartAsync([crm]);
        await bus.Management.UpdateSettingsAsync(BusSettings.Default with { ProcessOutgoing = false }, cancellationToken: Token);

        await bus.Bus.LogChangeAsync(SampleTypes.NewUser(1, "a"), TaskType.CreateObject, Token);
        Assert.Single(await bus.ListAsync());
        Assert.Empty(crm.Calls);

        await bus.Management.UpdateSettingsAsync(BusSettings.Default, cancellationToken: Token);
        await crm.WaitForCallsAsync(1);
    }

    [Fact]
    public async Task SetConnectorEnabledAsync_Disabled_GetsNoNewTasksAndQueueWaits()
    {
        var crm = Crm();
        await using var bus = await TestBus.StartAsync([crm]);
        await bus.Store.Configuration.SetConnectorEnabledAsync("crm", enabled: true, Token);

        await bus.Management.SetConnectorEnabledAsync("crm", false, cancellationToken: Token);
        await bus.Bus.LogChangeAsync(SampleTypes.NewUser(1, "a"), TaskType.CreateObject, Token);
        Assert.Empty(await bus.ListAsync());
        Assert.False((await bus.Management.GetConnectorsAsync(Token)).Single(c => c.Name == "crm").Enabled);
        Assert.Contains(await bus.Store.Configuration.GetConnectorsAsync(Token), c => c.Name == "crm" && !c.Enabled);

        await bus.Management.SetConnectorEnabledAsync("crm", true, cancellationToken: Token);
        await bus.Bus.LogChangeAsync(SampleTypes.NewUser(2, "b"), TaskType.CreateObject, Token);
        await crm.WaitForCallsAsync(1);
        Assert.Equal("b", crm.Calls[0].Object.CodeName);
    }
}
