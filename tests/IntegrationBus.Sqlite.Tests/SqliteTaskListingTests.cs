using IntegrationBus.Storage;
using IntegrationBus.TestKit;
using Microsoft.Data.Sqlite;

namespace IntegrationBus.Sqlite.Tests;

/// <summary>The query plans of management lists, of fetching and of retention: read an index in order, never sort or scan a whole queue.</summary>
public sealed class SqliteTaskListingTests : IAsyncLifetime
{
    private readonly SqliteTestFiles _files = new();
    private readonly string _path;
    private SqliteDatabase? _database;
    private SqliteConnection? _connection;

    public SqliteTaskListingTests() => _path = _files.NewPath();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        var store = _files.NewStore(_path);
        await store.InitializeAsync(Ct);
        await store.Queue.AppendAsync([Some.Task("crm")], null, Ct);
        _database = new SqliteDatabase(new SqliteTaskStoreOptions { ConnectionString = SqliteTestFiles.ConnectionStringFor(_path) }, TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        _connection = await _database.OpenAsync(Ct);
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }

        _database?.Dispose();
        _files.Dispose();
    }

    [Fact]
    public async Task ListSql_ConnectorAndDirectionAfterAPosition_SearchesPrimaryKeyRangeWithoutSorting()
    {
        var plan = await PlanAsync(new TaskQuery { Connector = "crm", Direction = TaskDirection.Outgoing, After = new TaskPosition(10, "crm", TaskDirection.Outgoing) });

        Assert.Contains(plan, step => step.Contains("SEARCH s USING PRIMARY KEY (connector_id=? AND direction=? AND task_id>?)", StringComparison.Ordinal));
        Assert.DoesNotContain(plan, step => step.Contains("TEMP B-TREE", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ListSql_ConnectorWithTaskFilters_StillReadsThePrimaryKeyInOrder()
    {
        var query = new TaskQuery
        {
            Connector = "crm", ObjectType = "test.contact", TaskType = TaskType.UpdateObject, Text = "jane", CreatedFrom = Some.Epoch, CreatedBefore = Some.Epoch.AddDays(1),
            After = new TaskPosition(10, "crm", TaskDirection.Outgoing),
        };

        var plan = await PlanAsync(query, TaskDirection.Incoming);

        Assert.Contains(plan, step => step.Contains("SEARCH s USING PRIMARY KEY (connector_id=? AND direction=? AND task_id>?)", StringComparison.Ordinal));
        Assert.DoesNotContain(plan, step => step.Contains("TEMP B-TREE", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(SynchronizationStatus.Error)]
    [InlineData(SynchronizationStatus.Skipped)]
    [InlineData(SynchronizationStatus.Failed)]
    public async Task ListSql_ConnectorAndUnfinishedStatus_SearchesPartialIndexWithoutSorting(SynchronizationStatus status)
    {
        var plan = await PlanAsync(new TaskQuery { Connector = "crm", Status = status }, TaskDirection.Outgoing);

        Assert.Contains(plan, step => step.Contains("ix_integration_synchronization_unfinished (connector_id=? AND direction=? AND status=?", StringComparison.Ordinal));
        Assert.DoesNotContain(plan, step => step.Contains("TEMP B-TREE", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ListSql_BulkRetryBatch_ReadsOnlyUnfinishedRows()
    {
        var withConnector = await PlanAsync(new TaskQuery { Connector = "crm" }, TaskDirection.Outgoing, onlyUnfinished: true);
        var withoutConnector = await PlanAsync(new TaskQuery { ObjectType = "test.contact" }, onlyUnfinished: true);

        Assert.Contains(withConnector, step => step.Contains("ix_integration_synchronization_unfinished (connector_id=? AND direction=?", StringComparison.Ordinal));
        Assert.Contains(withoutConnector, step => step.Contains("ix_integration_synchronization_unfinished", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ListSql_ObjectTypeWithoutConnector_ReadsTasksInIdOrderWithoutSortingThemAll()
    {
        // No object-type index on purpose: it would cost every append and acknowledgement; this list reads tasks in order.
        var plan = await PlanAsync(new TaskQuery { ObjectType = "test.contact", After = new TaskPosition(10, "crm", TaskDirection.Outgoing) });

        Assert.Contains(plan, step => step.Contains("ix_integration_synchronization_task_id (task_id>?)", StringComparison.Ordinal));
        Assert.DoesNotContain(plan, step => step.Contains("TEMP B-TREE FOR ORDER BY", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ListSql_NoFilter_ReadsTaskIdIndexSortingOnlyWithinATask()
    {
        var plan = await PlanAsync(new TaskQuery { After = new TaskPosition(10, "crm", TaskDirection.Outgoing) });

        Assert.Contains(plan, step => step.Contains("ix_integration_synchronization_task_id (task_id>?)", StringComparison.Ordinal));
        Assert.DoesNotContain(plan, step => step.Contains("TEMP B-TREE FOR ORDER BY", StringComparison.Ordinal));
    }

    [Fact]
    public async Task FetchSql_QueryPlan_SearchesSynchronizationPrimaryKey()
    {
        var plan = await SqliteQueryPlan.ExplainAsync(_connection!, SqliteQueueStore.FetchSql,
            command => SqliteQueryPlan.BindOnes(command, "@connector_id", "@direction", "@after", "@now", "@limit"));

        Assert.Contains(plan, step => step.Contains("SEARCH s USING PRIMARY KEY (connector_id=? AND direction=? AND task_id>?)", StringComparison.Ordinal));
        Assert.DoesNotContain(plan, step => step.Contains("TEMP B-TREE", StringComparison.Ordinal));
    }

    [Fact]
    public async Task FetchPerKeySql_QueryPlan_SearchesPrimaryKeyAndLooksBlockersUpInTheOrderingKeyIndex()
    {
        var plan = await SqliteQueryPlan.ExplainAsync(_connection!, SqliteQueueStore.FetchPerKeySql,
            command => SqliteQueryPlan.BindOnes(command, "@connector_id", "@direction", "@after", "@now", "@limit"));

        Assert.Contains(plan, step => step.Contains("SEARCH s USING PRIMARY KEY (connector_id=? AND direction=? AND task_id>?)", StringComparison.Ordinal));
        Assert.Contains(plan, step => step.Contains("ix_integration_synchronization_ordering_key (connector_id=? AND direction=? AND ordering_key=? AND task_id<?)", StringComparison.Ordinal));
        Assert.DoesNotContain(plan, step => step.Contains("TEMP B-TREE", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RetentionFailedSql_QueryPlan_SearchesPartialIndexInsteadOfEverySynchronization()
    {
        var plan = await SqliteQueryPlan.ExplainAsync(_connection!, SqliteRetentionStore.FailedSql, command => SqliteQueryPlan.BindOnes(command, "@before"));

        Assert.Contains(plan, step => step.Contains("ix_integration_synchronization_unfinished", StringComparison.Ordinal));
    }

    private async Task<List<string>> PlanAsync(TaskQuery query, TaskDirection? oneDirection = null, bool onlyUnfinished = false)
    {
        var filter = SqliteTaskFilter.Create(_database!, _connection!, null, query, paged: true, onlyUnfinished)!;
        return await SqliteQueryPlan.ExplainAsync(_connection!, SqliteTaskListing.ListSql(filter, oneDirection), command =>
        {
            filter.Bind(command, oneDirection);
            command.Parameters.AddWithValue("@limit", query.Limit);
        });
    }
}
