using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;

namespace IntegrationBus.Benchmarks;

/// <summary>
/// Figure 12: the cost of telemetry. Logging in scopes of 1,000 (figure 1a) and the one-connector drain (figure 2), each
/// measured without any listener and with listeners on the bus's ActivitySource (every span sampled and recorded) and
/// Meter (every instrument enabled), in alternating runs in one process.
/// </summary>
internal static class TelemetrySuite
{
    public static async Task RunAsync(BenchContext ctx)
    {
        var changes = 100_000 / ctx.Scale;
        var counts = new long[2];
        var (logOff, logOn) = await InterleavedAsync(ctx, "logging, scopes of 1,000", counts, async () =>
        {
            await using var bench = await BenchBus.CreateAsync(1);
            var stopwatch = Stopwatch.StartNew();
            await bench.LogAsync(1, changes, 1_000);
            return changes / stopwatch.Elapsed.TotalSeconds;
        });
        var (drainOff, drainOn) = await InterleavedAsync(ctx, "drain, 1 connector", counts, async () => (await CoreSuite.DrainAsync(changes, 1)).TasksPerSecond);

        ctx.Table.Add("12a", "Logging, scopes of 1,000, telemetry listened", $"{logOn:N0} tasks/s", $"{logOn / logOff:P0} of {logOff:N0} unlistened", "", null);
        ctx.Table.Add("12b", "Drain, 1 connector, telemetry listened", $"{drainOn:N0} tasks/s", $"{drainOn / drainOff:P0} of {drainOff:N0} unlistened", "", null);
        ctx.Json["telemetry_logging_off_per_s"] = Math.Round(logOff);
        ctx.Json["telemetry_logging_on_per_s"] = Math.Round(logOn);
        ctx.Json["telemetry_drain_off_per_s"] = Math.Round(drainOff);
        ctx.Json["telemetry_drain_on_per_s"] = Math.Round(drainOn);
        ctx.Json["telemetry_spans"] = counts[0];
        ctx.Json["telemetry_measurements"] = counts[1];
    }

    /// <summary>A warm-up of each, then rounds that run without and with listeners in turn, so drift and JIT tiering favour neither.</summary>
    private static async Task<(double Off, double On)> InterleavedAsync(BenchContext ctx, string name, long[] counts, Func<Task<double>> run)
    {
        var off = new List<double>();
        var on = new List<double>();
        for (var round = 0; round <= ctx.Runs; round++)
        {
            var unlistened = await run();
            double listened;
            using (var listeners = new Listeners())
            {
                listened = await run();
                counts[0] += listeners.Spans;
                counts[1] += listeners.Measurements;
            }

            if (round > 0)
            {
                off.Add(unlistened);
                on.Add(listened);
            }
        }

        Print(name, off);
        Print(name + ", listened", on);
        return (BenchContext.Median(off), BenchContext.Median(on));
    }

    private static void Print(string name, List<double> values) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {name}: median {BenchContext.Median(values):N0}/s  (runs: {string.Join(", ", values.Select(v => v.ToString("N0", CultureInfo.InvariantCulture)))})"));

    /// <summary>Listens to the bus's spans and instruments the cheapest way a real pipeline would (counting only).</summary>
    private sealed class Listeners : IDisposable
    {
        private readonly ActivityListener _activities;
        private readonly MeterListener _meters = new();
        private long _spans;
        private long _measurements;

        public Listeners()
        {
            _activities = new ActivityListener
            {
                ShouldListenTo = source => source.Name == IntegrationBusTelemetry.Name,
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
                ActivityStopped = _ => Interlocked.Increment(ref _spans),
            };
            ActivitySource.AddActivityListener(_activities);
            _meters.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == IntegrationBusTelemetry.Name)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _meters.SetMeasurementEventCallback<long>((_, _, _, _) => Interlocked.Increment(ref _measurements));
            _meters.SetMeasurementEventCallback<double>((_, _, _, _) => Interlocked.Increment(ref _measurements));
            _meters.SetMeasurementEventCallback<int>((_, _, _, _) => Interlocked.Increment(ref _measurements));
            _meters.Start();
        }

        public long Spans => Interlocked.Read(ref _spans);

        public long Measurements => Interlocked.Read(ref _measurements);

        public void Dispose()
        {
            _activities.Dispose();
            _meters.Dispose();
        }
    }
}
