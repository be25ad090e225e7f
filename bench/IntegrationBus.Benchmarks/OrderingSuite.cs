using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationBus.Benchmarks;

/// <summary>
/// Figure 14: ordering per object. (a) A connector whose calls take 20 ms drains tasks over 1,000 keys with
/// <see cref="Ordering.PerObject"/> and <see cref="ConnectorOptions.MaxDegreeOfParallelism"/> 16 vs connector ordering
/// (per-task rates; the connector-ordering side drains fewer tasks, at one call at a time it would take minutes);
/// (b) the no-op drain with per-object ordering vs connector ordering.
/// </summary>
internal static class OrderingSuite
{
    private const int Parallelism = 16;
    private static readonly TimeSpan SlowCall = TimeSpan.FromMilliseconds(20);

    public static async Task RunAsync(BenchContext ctx)
    {
        Console.WriteLine("Figure 14: ordering per object");
        var slowTasks = 10_000 / ctx.Scale;
        var slowKeys = 1_000 / ctx.Scale;
        var slowSerialTasks = 500 / ctx.Scale;
        var perObjectSlow = await ctx.MedianAsync("20 ms calls, per object (16)", () => DrainAsync(ctx, slowTasks, slowKeys, Ordering.PerObject, SlowCall));
        var connectorSlow = await ctx.MedianAsync("20 ms calls, connector ordering", () => DrainAsync(ctx, slowSerialTasks, slowKeys, Ordering.Connector, SlowCall));
        ctx.Table.Add("14a", "20 ms calls: per object (16) vs connector", $"{perObjectSlow:N0} vs {connectorSlow:N0} tasks/s ({slowTasks:N0} vs {slowSerialTasks:N0} tasks, {slowKeys:N0} keys)", $"{perObjectSlow / connectorSlow:N1}×", "≥ 8×", perObjectSlow / connectorSlow >= 8);

        var noOpTasks = 100_000 / ctx.Scale;
        var noOpKeys = noOpTasks / 10;
        var perObjectNoOp = await ctx.MedianAsync("no-op drain, per object (16)", () => DrainAsync(ctx, noOpTasks, noOpKeys, Ordering.PerObject, TimeSpan.Zero));
        var connectorNoOp = await ctx.MedianAsync("no-op drain, connector ordering", () => DrainAsync(ctx, noOpTasks, noOpKeys, Ordering.Connector, TimeSpan.Zero));
        ctx.Table.Add("14b", "No-op drain: per object (16) vs connector", $"{perObjectNoOp:N0} vs {connectorNoOp:N0} tasks/s", $"{perObjectNoOp / connectorNoOp:P0}", "≥ 80%", perObjectNoOp / connectorNoOp >= 0.8);
        ctx.Json["ordering_slow_per_object_tasks_per_s"] = Math.Round(perObjectSlow);
        ctx.Json["ordering_slow_connector_tasks_per_s"] = Math.Round(connectorSlow);
        ctx.Json["ordering_noop_per_object_tasks_per_s"] = Math.Round(perObjectNoOp);
        ctx.Json["ordering_noop_connector_tasks_per_s"] = Math.Round(connectorNoOp);
    }

    /// <summary>Logs <paramref name="count"/> changes over <paramref name="keys"/> objects (round robin), then times the drain.</summary>
    private static async Task<double> DrainAsync(BenchContext ctx, int count, int keys, Ordering ordering, TimeSpan callDuration)
    {
        await using var bench = await BenchBus.CreateAsync(1, bus => bus.Services.Configure<ConnectorOptions>("bench1", o =>
        {
            o.Ordering = ordering;
            o.MaxDegreeOfParallelism = Parallelism;
        }), store: ctx.Store);
        var connector = bench.Connectors[0];
        connector.CallDuration = callDuration;
        var guids = Enumerable.Range(0, keys).Select(_ => Guid.NewGuid()).ToArray();
        for (var done = 0; done < count; done += 1_000)
        {
            var scope = bench.Bus.BeginScope();
            await using (scope)
            {
                for (var i = done; i < Math.Min(done + 1_000, count); i++)
                {
                    await bench.Bus.LogChangeAsync(BenchTypes.NewItem(i + 1, guids[i % keys]), TaskType.UpdateObject);
                }

                await scope.CompleteAsync();
            }
        }

        connector.Expect(count);
        var drained = bench.DrainedAsync(connector);
        var stopwatch = Stopwatch.StartNew();
        await bench.StartAsync();
        await drained.WaitAsync(TimeSpan.FromMinutes(10));
        var elapsed = stopwatch.Elapsed;
        var left = await bench.CountQueuedAsync();
        if (left != 0)
        {
            throw new InvalidOperationException($"{left} tasks are still queued after the drain.");
        }

        return count / elapsed.TotalSeconds;
    }
}
