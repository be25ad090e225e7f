using IntegrationBus.Storage;
using IntegrationBus.TestKit;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace IntegrationBus.PostgreSql.Tests.EntityFrameworkCore;

/// <summary>The resync check on Npgsql's provider: the batch's rows are locked FOR SHARE, so no live change is overtaken by an older resync copy.</summary>
public sealed class PostgreSqlResyncTests
{
    /// <summary>The event "resync completed" (EventIds.ResyncCompleted in the core, internal).</summary>
    private const int ResyncCompleted = 3142;

    /// <summary>The event "a resync was requested by another node" (EventIds.ResyncRequestedByNode in the core, internal).</summary>
    private const int ResyncRequestedByNode = 3170;

    /// <summary>The event "listening for notifications" (PostgreSqlEventIds.Listening, internal).</summary>
    private const int Listening = 5104;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task StartAsync_ExistingRowsWithLiveUpdates_EveryObjectsLastQueuedVersionIsItsLatest()
    {
        // 50,000 rather than the 100,000: on the shared test server 100,000 took about a minute.
        const int Rows = 50_000;
        await using var bus = await PgEfBus.StartAsync(retryOnFailure: false);
        await using (bus.Scope(out var db))
        {
            // Existing rows, written around the bus (no tasks), as before the connector was added.
            await db.Database.ExecuteSqlRawAsync(
                "INSERT INTO \"Users\" (\"PgUserGuid\", \"UserName\") SELECT gen_random_uuid(), 'u' || i || '-v0' FROM generate_series(1, {0}) AS i;", [Rows], Ct);
        }

        var completed = bus.Signals.NextAsync(ResyncCompleted, _ => true, TimeSpan.FromMinutes(2));
        var job = await bus.Management.Resyncs.StartAsync("crm", "test.user", cancellationToken: Ct);
        var live = 0;
        for (var round = 1; !completed.IsCompleted || round <= 3; round++)
        {
            for (var id = 1; id <= Rows; id += Rows / 40)
            {
                await using var scope = bus.Scope(out var db);
                var user = await db.Users.SingleAsync(u => u.PgUserId == id, Ct);
                user.UserName = $"u{id}-v{round}";
                await db.SaveChangesAsync(Ct);
                live++;
            }
        }

        await completed;
        Assert.Equal((ResyncJobState.Completed, (long)Rows), ((await bus.Management.Resyncs.GetAsync(job.Id, Ct))!.State, (await bus.Management.Resyncs.GetAsync(job.Id, Ct))!.Queued));

        // The queue is delivered in task order, so an object's last task is its last delivered version.
        await using var connection = new NpgsqlConnection(bus.ConnectionString);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(
            """
            SELECT count(*) FILTER (WHERE u."UserName" IS DISTINCT FROM last.name), count(*), (SELECT count(*) FROM integration_bus.integration_task)
            FROM "Users" u
            LEFT JOIN (SELECT DISTINCT ON (object_id) object_id, payload::jsonb -> 'object' -> 'fields' ->> 'UserName' AS name
                       FROM integration_bus.integration_task ORDER BY object_id, id DESC) last ON last.object_id = u."PgUserId";
            """,
            connection);
        await using var reader = await command.ExecuteReaderAsync(Ct);
        Assert.True(await reader.ReadAsync(Ct));
        Assert.Equal((0L, (long)Rows, (long)(Rows + live)), (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2)));
    }

    [Fact]
    public async Task StartAsync_OnAProducerOnlyNode_TheOtherNodeIsWokenAndCompletesTheJobWithoutASweep()
    {
        // A sweep an hour away: the working node finds the job at once only if it is told.
        await using var worker = await PgEfBus.StartAsync(retryOnFailure: false, o => o.SweepInterval = TimeSpan.FromHours(1));
        await using var producer = await PgEfBus.StartAsync(retryOnFailure: false, o => o.ProducerOnly = true, sameDatabaseAs: worker);
        await using (producer.Scope(out var db))
        {
            await db.Database.ExecuteSqlRawAsync(
                "INSERT INTO \"Users\" (\"PgUserGuid\", \"UserName\") SELECT gen_random_uuid(), 'u' || i FROM generate_series(1, 25) AS i;", Ct);
        }

        await SeenAsync(worker.Signals, Listening);
        var woken = worker.Signals.NextAsync(ResyncRequestedByNode, _ => true);
        var completed = worker.Signals.NextAsync(ResyncCompleted, _ => true);

        var job = await producer.Management.Resyncs.StartAsync("crm", "test.user", actor: "alice", cancellationToken: Ct);

        await woken;
        await completed;
        var done = await producer.Management.Resyncs.GetAsync(job.Id, Ct);
        Assert.Equal((ResyncJobState.Completed, 25L), (done!.State, done.Queued));
        Assert.DoesNotContain(producer.Signals.Seen, e => e.EventId == ResyncCompleted);
    }

    /// <summary>Completes when the event has been logged, before or after the call.</summary>
    private static async Task SeenAsync(LogSignals signals, int eventId)
    {
        var next = signals.NextAsync(eventId, _ => true);
        if (!signals.Seen.Any(e => e.EventId == eventId))
        {
            await next;
        }
    }
}
