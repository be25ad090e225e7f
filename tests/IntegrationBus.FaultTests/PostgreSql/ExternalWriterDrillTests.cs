using IntegrationBus.FaultTests.Support;

namespace IntegrationBus.FaultTests.PostgreSql;

/// <summary>
/// The external writer (<see cref="IntegrationBusOptions.ProducerOnly"/>): while the application is down, another process
/// on the same database queues incoming tasks; the application applies them, in order, once it is back.
/// </summary>
[Collection(SequentialDrills.Name)]
public sealed class ExternalWriterDrillTests
{
    private const int Count = 1_000;

    [Fact]
    public async Task Producer_MainHostDown_QueuesThousandIncomingTasksThatTheMainHostAppliesInOrderWhenBack()
    {
        await using var database = DrillDatabase.Require();
        using var directory = new FaultDirectory();
        var log = directory.File("main.log");

        // The application ran once (its schema exists) and is down now.
        var main = await NodeDrill.StartNodeAsync(database, "main", log, slowMs: 0, connectors: 1);
        await main.StopAsync();
        await main.DisposeAsync();

        var produced = await WorkerProcess.RunAsync("producer", ["pg-produce", database.ConnectionString, database.Schema, $"{Count}", "--connectors", "1"]);
        Assert.Contains($"PRODUCED {Count}", produced, StringComparison.Ordinal);

        // The producer ran no queue: every task waits untouched, and nothing was applied.
        Assert.Equal((Count, 0L), await database.IncomingAsync("fault-in"));
        Assert.DoesNotContain(NodeCall.Read(log), c => c.Connector == NodeCall.Incoming);

        main = await NodeDrill.StartNodeAsync(database, "main", log, slowMs: 0, connectors: 1);
        try
        {
            await DrillDatabase.WaitUntilAsync(() => database.IncomingAsync("fault-in"), q => q.Queued == 0, "every incoming task applied");
            await main.StopAsync();
        }
        finally
        {
            await NodeDrill.DisposeAllAsync([main]);
        }

        var applied = NodeCall.Read(log).Where(c => c.Connector == NodeCall.Incoming).OrderBy(c => c.Start).Select(c => c.Id).ToList();
        Assert.Equal(Enumerable.Range(1, Count).Select(i => (long)i), applied);
    }
}
