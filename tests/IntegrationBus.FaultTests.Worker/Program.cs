using IntegrationBus;
using System.Globalization;
using IntegrationBus.FaultTests.Worker;
using IntegrationBus.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

// The child process of the fault drills.
//   seed  <db> <count> [keys]   (with keys: ordered per object, item id has key id % keys)
//   drain <db> <deliveryLog> [--lease 00:00:02] [--sweep 00:00:00.200] [--slow-ms N] [--node name] [--per-object parallelism]
//   pg-seed, pg-seed-keyed, pg-node, pg-produce: the PostgreSQL drills (see PostgreSqlCommands)
if (args.Length < 3)
{
    await Console.Error.WriteLineAsync("usage: seed <db> <count> | drain <db> <deliveryLog> [--lease t] [--sweep t] [--slow-ms n] [--node name] | pg-seed | pg-node | pg-produce");
    return 2;
}

var database = args[1];
return args[0] switch
{
    "seed" => await SeedAsync(database, int.Parse(args[2], CultureInfo.InvariantCulture), args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 0),
    "drain" => await DrainAsync(database, args[2], DrainArguments.Parse(args.AsSpan(3))),
    "pg-seed" => await PostgreSqlCommands.SeedAsync(args[1], args[2], int.Parse(args[3], CultureInfo.InvariantCulture), int.Parse(args[4], CultureInfo.InvariantCulture)),
    "pg-node" => await PostgreSqlCommands.NodeAsync(args[1], args[2], args[3], NodeArguments.Parse(args.AsSpan(4))),
    "pg-seed-keyed" => await PostgreSqlCommands.SeedKeyedAsync(args[1], args[2], int.Parse(args[3], CultureInfo.InvariantCulture), int.Parse(args[4], CultureInfo.InvariantCulture), int.Parse(args[5], CultureInfo.InvariantCulture)),
    "pg-produce" => await PostgreSqlCommands.ProduceAsync(args[1], args[2], int.Parse(args[3], CultureInfo.InvariantCulture), NodeArguments.Parse(args.AsSpan(4))),
    _ => 2,
};

static async Task<int> SeedAsync(string database, int count, int keys)
{
    // The hosted runners are never started: the runtime initializes itself on the first logged change.
    using var connector = new DeliveryLogConnector(database + ".seed.log", database + ".connector.lock", "seed", TimeSpan.Zero);
    var services = new ServiceCollection();
    services.AddIntegrationBus(bus => bus.UseSqlite($"Data Source={database}").AddObjectType(FaultItem.Type).AddConnector(connector, o =>
    {
        // The ordering keys are computed when a change is logged, so the seed must know the connector orders per object.
        o.Ordering = keys > 0 ? Ordering.PerObject : Ordering.Connector;
    }));
    await using (var provider = services.BuildServiceProvider())
    {
        var bus = provider.GetRequiredService<IntegrationBusService>();
        for (var start = 1; start <= count; start += 100)
        {
            await using var scope = bus.BeginScope();
            for (var id = start; id < start + 100 && id <= count; id++)
            {
                await bus.LogChangeAsync(keys > 0 ? FaultItem.Create(id, FaultItem.KeyGuid(id % keys)) : FaultItem.Create(id), keys > 0 ? TaskType.UpdateObject : TaskType.CreateObject);
            }

            await scope.CompleteAsync();
        }
    }

    SqliteConnection.ClearAllPools();
    await Console.Out.WriteLineAsync("SEEDED");
    return 0;
}

static async Task<int> DrainAsync(string database, string deliveryLog, DrainArguments options)
{
    using var connector = new DeliveryLogConnector(deliveryLog, database + ".connector.lock", options.Node, options.Delay) { PerObject = options.PerObject > 0 };
    var services = new ServiceCollection();
    services.AddIntegrationBus(bus => bus
        .UseSqlite($"Data Source={database}")
        .AddObjectType(FaultItem.Type)
        .AddConnector(connector, o =>
        {
            if (options.PerObject > 0)
            {
                o.Ordering = Ordering.PerObject;
                o.MaxDegreeOfParallelism = options.PerObject;
            }
        })
        .Configure(o =>
        {
            o.LeaseDuration = options.Lease;
            o.SweepInterval = options.Sweep;
            o.BatchSize = 50;
            o.RetryDelay = TimeSpan.FromMilliseconds(100);
            o.MaxRetryDelay = TimeSpan.FromSeconds(1);
        }));
    await using var provider = services.BuildServiceProvider();
    var hosted = provider.GetServices<IHostedService>().ToList();
    foreach (var service in hosted)
    {
        await service.StartAsync(CancellationToken.None);
    }

    await Console.Out.WriteLineAsync("READY");
    await Console.Out.FlushAsync();

    // Runs until stdin closes (a clean stop) or the process is killed.
    while (await Console.In.ReadLineAsync() is not null)
    {
    }

    foreach (var service in Enumerable.Reverse(hosted))
    {
        await service.StopAsync(CancellationToken.None);
    }

    await Console.Out.WriteLineAsync("STOPPED");
    return 0;
}

/// <summary>The options of the drain mode.</summary>
internal sealed record DrainArguments(TimeSpan Lease, TimeSpan Sweep, TimeSpan Delay, string Node, int PerObject = 0)
{
    public static DrainArguments Parse(ReadOnlySpan<string> args)
    {
        var result = new DrainArguments(TimeSpan.FromSeconds(2), TimeSpan.FromMilliseconds(200), TimeSpan.Zero, "node");
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            var value = args[i + 1];
            result = args[i] switch
            {
                "--lease" => result with { Lease = TimeSpan.Parse(value, CultureInfo.InvariantCulture) },
                "--sweep" => result with { Sweep = TimeSpan.Parse(value, CultureInfo.InvariantCulture) },
                "--slow-ms" => result with { Delay = TimeSpan.FromMilliseconds(int.Parse(value, CultureInfo.InvariantCulture)) },
                "--node" => result with { Node = value },
                "--per-object" => result with { PerObject = int.Parse(value, CultureInfo.InvariantCulture) },
                _ => throw new ArgumentException($"Unknown option '{args[i]}'."),
            };
        }

        return result;
    }
}
