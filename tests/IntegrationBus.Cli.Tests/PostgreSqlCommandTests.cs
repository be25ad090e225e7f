using System.Globalization;
using IntegrationBus.PostgreSql;
using IntegrationBus.PostgreSql.Tests;
using IntegrationBus.Storage;
using IntegrationBus.TestKit;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace IntegrationBus.Cli.Tests;

/// <summary><c>ibus --postgres</c> against a real PostgreSQL store on a schema of its own (skipped without a server, failed on CI).</summary>
public sealed class PostgreSqlCommandTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Postgres_ListRetryAndStatus_SameAnswersAsOverSqlite()
    {
        await using var server = PostgreSqlTestServer.Require();
        var schema = server.NewSchema();
        await using var store = new PostgreSqlTaskStore(Options.Create(new PostgreSqlTaskStoreOptions { ConnectionString = server.ConnectionString, Schema = schema }), NullLogger<PostgreSqlTaskStore>.Instance);
        await store.InitializeAsync(Ct);
        await store.Configuration.RegisterConnectorsAsync([new ConnectorState("crm", "CRM", true)], Ct);
        var ids = await store.Queue.AppendAsync([Some.Task("crm"), Some.Task("crm")], null, Ct);
        var lease = await store.Leases.TryAcquireAsync(new LeaseRequest { Queue = Some.Queue("crm"), Owner = "node-1", Duration = TimeSpan.FromMinutes(5), Now = TimeProvider.System.GetUtcNow() }, Ct);
        Assert.NotNull(lease);
        await store.Queue.RecordAsync(new RecordRequest { Lease = lease, Outcomes = [new TaskOutcome { TaskId = ids[0], Result = TaskResultKind.Error, Message = "CRM down", AttemptedAt = TimeProvider.System.GetUtcNow(), Park = true }] }, Ct);
        string[] Args(params string[] arguments) => [.. arguments, "--postgres", server.ConnectionString, "--schema", schema];

        var failed = await Ibus.JsonAsync(Args("tasks", "list", "--status", "Failed"));
        var retried = await Ibus.RunOkAsync(Args("tasks", "retry", "--connector", "crm", "--status", "Failed", "--yes"));
        var status = await Ibus.RunOkAsync(Args("status"));
        var shown = await Ibus.JsonAsync(Args("tasks", "show", ids[0].ToString(CultureInfo.InvariantCulture)));

        Assert.Equal(ids[0], Assert.Single(failed.GetProperty("items").EnumerateArray()).GetProperty("task").GetProperty("id").GetInt64());
        Assert.Matches(@"^Retried 1 task matching --connector crm --status Failed in \d+ batch(es)?\.$", Assert.Single(retried.Lines));
        Assert.Matches(@"(?m)^crm outgoing\s+yes\s+2\s+0\s+0\s+0\s+2\s", status.Output);
        Assert.Equal("CRM down", shown.GetProperty("attempts")[0].GetProperty("message").GetString());
    }
}
