using System.Globalization;
using IntegrationBus.PostgreSql;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace IntegrationBus.FaultTests.Worker;

/// <summary>
/// The PostgreSQL drills' commands: several node processes share one schema.
/// <code>
///   pg-seed    &lt;connection&gt; &lt;schema&gt; &lt;connectors&gt; &lt;perConnector&gt;
///   pg-node    &lt;connection&gt; &lt;schema&gt; &lt;log&gt; [--node n] [--connectors 12] [--lease t] [--sweep t] [--slow-ms n]
///   pg-produce &lt;connection&gt; &lt;schema&gt; &lt;count&gt; [--connectors 12]
///   pg-seed-keyed &lt;connection&gt; &lt;schema&gt; &lt;count&gt; &lt;keys&gt; &lt;partitions&gt;
/// </code>
/// With <c>--partitions n</c> (n &gt; 0) a node runs the <see cref="KeyedConnector"/>, its queue split into n partitions, instead of the
/// external writer's connector (<c>fault-in</c>).
/// A node's connections carry the application name <c>ibus-&lt;node&gt;</c>, so a drill can terminate them.
/// </summary>
internal static class PostgreSqlCommands
{
    /// <summary>Queues <paramref name="perConnector"/> changes for each connector, interleaved, in transactions of 1,000; runs no queue.</summary>
    public static async Task<int> SeedAsync(string connection, string schema, int connectors, int perConnector)
    {
        await using var provider = Build(connection, schema, "seed", connectors, log: null, NodeArguments.Default with { ProducerOnly = true });
        var bus = provider.GetRequiredService<IntegrationBusService>();
        var types = Enumerable.Range(1, connectors).Select(NodeConnector.TypeOf).ToList();
        var scope = bus.BeginScope();
        var inScope = 0;
        for (var id = 1; id <= perConnector; id++)
        {
            foreach (var type in types)
            {
                await bus.LogChangeAsync(new BusObject(type) { ["ItemID"] = (long)id, ["ItemGuid"] = Guid.NewGuid(), ["Name"] = $"item {id}" }, TaskType.CreateObject);
                if (++inScope == 1_000)
                {
                    await scope.CompleteAsync();
                    await scope.DisposeAsync();
                    scope = bus.BeginScope();
                    inScope = 0;
                }
            }
        }

        await scope.CompleteAsync();
        await scope.DisposeAsync();
        await Console.Out.WriteLineAsync("SEEDED");
        return 0;
    }

    /// <summary>Queues <paramref name="count"/> updates for the <see cref="KeyedConnector"/> (item <c>id</c> keyed by <c>id % keys</c>) in transactions of 1,000; runs no queue.</summary>
    public static async Task<int> SeedKeyedAsync(string connection, string schema, int count, int keys, int partitions)
    {
        await using var provider = Build(connection, schema, "seed", 0, log: null, NodeArguments.Default with { ProducerOnly = true, Partitions = partitions });
        var bus = provider.GetRequiredService<IntegrationBusService>();
        for (var start = 1; start <= count; start += 1_000)
        {
            await using var scope = bus.BeginScope();
            for (var id = start; id < start + 1_000 && id <= count; id++)
            {
                var item = new BusObject(KeyedConnector.Type) { ["ItemID"] = (long)id, ["ItemGuid"] = FaultItem.KeyGuid(id % keys), ["Name"] = $"item {id}" };
                await bus.LogChangeAsync(item, TaskType.UpdateObject);
            }

            await scope.CompleteAsync();
        }

        await Console.Out.WriteLineAsync("SEEDED");
        return 0;
    }

    /// <summary>Runs a node (every queue's runner) until stdin closes, recording each call in the node's log.</summary>
    public static async Task<int> NodeAsync(string connection, string schema, string logPath, NodeArguments options)
    {
        using var log = new NodeLog(logPath, options.Node);
        await using var provider = Build(connection, schema, options.Node, options.Connectors, log, options);
        return await RunAsync(provider, "READY", waitForStdin: true);
    }

    /// <summary>
    /// The external writer: a producer-only bus on the same schema queues <paramref name="count"/> incoming tasks with
    /// <see cref="IntegrationBusService.ProcessExternalTaskAsync"/>, one call each, then stops; the nodes apply them.
    /// </summary>
    public static async Task<int> ProduceAsync(string connection, string schema, int count, NodeArguments options)
    {
        await using var provider = Build(connection, schema, "producer", options.Connectors, log: null, options with { ProducerOnly = true });
        var hosted = provider.GetServices<IHostedService>().ToList();
        foreach (var service in hosted)
        {
            await service.StartAsync(CancellationToken.None);
        }

        var bus = provider.GetRequiredService<IntegrationBusService>();
        for (var sequence = 1L; sequence <= count; sequence++)
        {
            var result = await bus.ProcessExternalTaskAsync(ExternalWriterConnector.ConnectorName, sequence, TaskType.CreateObject, DataType.Simple, siteName: null);
            if (!result.IsQueued)
            {
                await Console.Error.WriteLineAsync($"Task {sequence} was not queued: {result.Status} {result.Message}");
                return 1;
            }
        }

        foreach (var service in Enumerable.Reverse(hosted))
        {
            await service.StopAsync(CancellationToken.None);
        }

        await Console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"PRODUCED {count}"));
        return 0;
    }

    private static ServiceProvider Build(string connection, string schema, string node, int connectors, NodeLog? log, NodeArguments options)
    {
        var connectionString = new NpgsqlConnectionStringBuilder(connection) { ApplicationName = $"ibus-{node}" }.ConnectionString;
        var services = new ServiceCollection();
        services.AddLogging(logging => logging
            .SetMinimumLevel(LogLevel.Warning)
            .AddSimpleConsole(o => o.SingleLine = true)
            .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace));
        if (log is not null)
        {
            services.AddSingleton<IInternalDataHandler>(new ExternalWriterConnector.Handler(log));
        }

        services.AddIntegrationBus(bus =>
        {
            bus.UsePostgreSql(connectionString, store => store.Schema = schema)
                .Configure(o =>
                {
                    o.ProducerOnly = options.ProducerOnly;
                    o.LeaseDuration = options.Lease;
                    o.SweepInterval = options.Sweep;
                    o.BatchSize = 50;
                    o.RetryDelay = TimeSpan.FromMilliseconds(100);
                    o.MaxRetryDelay = TimeSpan.FromSeconds(1);
                });
            if (options.Partitions > 0)
            {
                // The partition drill runs the keyed connector alone, so its partitions are what the nodes share.
                bus.AddObjectType(KeyedConnector.Type).AddConnector(new KeyedConnector(log, options.Delay), o => KeyedConnector.Configure(o, options.Partitions));
            }
            else
            {
                bus.AddObjectType(ExternalWriterConnector.Type).AddConnector(new ExternalWriterConnector());
            }

            for (var number = 1; number <= connectors; number++)
            {
                bus.AddObjectType(NodeConnector.TypeOf(number)).AddConnector(new NodeConnector(number, log, options.Delay));
            }
        });
        return services.BuildServiceProvider();
    }

    private static async Task<int> RunAsync(ServiceProvider provider, string ready, bool waitForStdin)
    {
        var hosted = provider.GetServices<IHostedService>().ToList();
        foreach (var service in hosted)
        {
            await service.StartAsync(CancellationToken.None);
        }

        await Console.Out.WriteLineAsync(ready);
        await Console.Out.FlushAsync();

        // Runs until stdin closes (a clean stop) or the process is killed.
        while (waitForStdin && await Console.In.ReadLineAsync() is not null)
        {
        }

        foreach (var service in Enumerable.Reverse(hosted))
        {
            await service.StopAsync(CancellationToken.None);
        }

        await Console.Out.WriteLineAsync("STOPPED");
        return 0;
    }
}

/// <summary>The options of the PostgreSQL node commands.</summary>
internal sealed record NodeArguments(string Node, int Connectors, TimeSpan Lease, TimeSpan Sweep, TimeSpan Delay, bool ProducerOnly, int Partitions = 0)
{
    public static NodeArguments Default { get; } = new("node", 12, TimeSpan.FromSeconds(4), TimeSpan.FromMilliseconds(500), TimeSpan.Zero, false);

    public static NodeArguments Parse(ReadOnlySpan<string> args)
    {
        var result = Default;
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            var value = args[i + 1];
            result = args[i] switch
            {
                "--node" => result with { Node = value },
                "--connectors" => result with { Connectors = int.Parse(value, CultureInfo.InvariantCulture) },
                "--lease" => result with { Lease = TimeSpan.Parse(value, CultureInfo.InvariantCulture) },
                "--sweep" => result with { Sweep = TimeSpan.Parse(value, CultureInfo.InvariantCulture) },
                "--slow-ms" => result with { Delay = TimeSpan.FromMilliseconds(int.Parse(value, CultureInfo.InvariantCulture)) },
                "--partitions" => result with { Partitions = int.Parse(value, CultureInfo.InvariantCulture) },
                _ => throw new ArgumentException($"Unknown option '{args[i]}'."),
            };
        }

        return result;
    }
}
