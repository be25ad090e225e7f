using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace IntegrationBus.Benchmarks;

/// <summary>Figures 1-6: outgoing logging, drain, wake-up latency, memory, queue size, raw SQLite baseline.</summary>
internal static class CoreSuite
{
    private static Task<double> RawReadDeleteAsync(BenchContext ctx, int changes, int batchSize, string samplePayload) =>
        ctx.MedianAsync("raw read+delete", () =>
        {
            using var raw = ctx.Store.CreateRaw();
            raw.Insert(changes, 1_000, samplePayload);
            var (elapsed, read) = raw.ReadAndDelete(batchSize);
            return Task.FromResult(read == changes ? changes / elapsed.TotalSeconds : throw new InvalidOperationException($"Raw read {read} of {changes}."));
        });

    /// <summary>Figure 2 (one connector) and its raw baseline only: the quick loop for work on the drain path.</summary>
    public static async Task RunDrainAsync(BenchContext ctx)
    {
        var changes = 100_000 / ctx.Scale;
        var batchSize = new IntegrationBusOptions().BatchSize;
        string samplePayload;
        await using (var bench = await BenchBus.CreateAsync(1, store: ctx.Store))
        {
            await bench.LogAsync(1, 10, 10);
            samplePayload = (await bench.Store.Management.GetTaskAsync(1, CancellationToken.None))?.Payload ?? "";
        }

        var rawReadDelete = await RawReadDeleteAsync(ctx, changes, batchSize, samplePayload);
        var drain1 = await ctx.MedianAsync("drain, 1 connector", async () => (await DrainAsync(changes, 1, store: ctx.Store)).TasksPerSecond);
        ctx.Table.Add("2", "Drain, 1 connector", $"{drain1:N0} tasks/s", $"{drain1 / rawReadDelete:P0} of raw read+delete", "≥ 50% of raw read+delete", drain1 / rawReadDelete >= 0.5);
        ctx.Table.Add("6", "Raw read+delete (batches of 100)", $"{rawReadDelete:N0} rows/s", $"", "", null);
        ctx.Json["drain_1_tasks_per_s"] = Math.Round(drain1);
        ctx.Json["raw_read_delete_per_s"] = Math.Round(rawReadDelete);
        ctx.Json["drain_1_vs_raw"] = Math.Round(drain1 / rawReadDelete, 3);
    }

    public static async Task RunAsync(BenchContext ctx)
    {
        var scale = ctx.Scale;
        var runs = ctx.Runs;
        var batchSize = new IntegrationBusOptions().BatchSize;
        var changes = 100_000 / scale;
        // One commit per change on a server store is a round trip per statement: 10,000 changes there, not 100,000.
        var singleChanges = (ctx.Store is PostgreSqlBenchStore ? 10_000 : 100_000) / scale;
        var latencyChanges = 1_000 / scale;
        var server = ctx.Store is PostgreSqlBenchStore;
        var (p50Target, p99Target) = server ? (5.0, 50.0) : (2.0, 20.0);

        // 1. Logging throughput.
        string samplePayload = "";
        var batched = await ctx.MedianAsync("logging, scopes of 1,000", async () =>
        {
            await using var bench = await BenchBus.CreateAsync(1, store: ctx.Store);
            var stopwatch = Stopwatch.StartNew();
            await bench.LogAsync(1, changes, 1_000);
            var elapsed = stopwatch.Elapsed;
            samplePayload = (await bench.Store.Management.GetTaskAsync(1, CancellationToken.None))?.Payload ?? "";
            return changes / elapsed.TotalSeconds;
        });
        var single = await ctx.MedianAsync("logging, no scope", async () =>
        {
            await using var bench = await BenchBus.CreateAsync(1, store: ctx.Store);
            var stopwatch = Stopwatch.StartNew();
            await bench.LogAsync(1, singleChanges, 1);
            return singleChanges / stopwatch.Elapsed.TotalSeconds;
        });

        // 6. Raw baseline (measured early, the ratios need it).
        var rawInsert = await ctx.MedianAsync("raw insert", () =>
        {
            using var raw = ctx.Store.CreateRaw();
            return Task.FromResult(changes / raw.Insert(changes, 1_000, samplePayload).TotalSeconds);
        });
        var rawReadDelete = await RawReadDeleteAsync(ctx, changes, batchSize, samplePayload);

        // 2. Drain throughput.
        var drain1 = await ctx.MedianAsync("drain, 1 connector", async () => (await DrainAsync(changes, 1, store: ctx.Store)).TasksPerSecond);
        var drain4Deliveries = 0.0;
        var drain4 = await ctx.MedianAsync("drain, 4 connectors", async () =>
        {
            var result = await DrainAsync(changes, 4, store: ctx.Store);
            return result.TasksPerSecond;
        });
        drain4Deliveries = drain4 * 4;

        // 3. Wake-up latency.
        var latencies = new List<(double P50, double P95, double P99, double Min)>();
        for (var run = 0; run <= runs; run++)
        {
            var result = await LatencyAsync(run == 0 ? Math.Min(100, latencyChanges) : latencyChanges, ctx.Store);
            if (run > 0)
            {
                latencies.Add(result);
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  latency {(run == 0 ? "warm-up" : "run " + run)}: p50 {result.P50:F2} ms, p95 {result.P95:F2} ms, p99 {result.P99:F2} ms, min {result.Min:F2} ms"));
        }

        var p50 = BenchContext.Median(latencies.Select(l => l.P50));
        var p95 = BenchContext.Median(latencies.Select(l => l.P95));
        var p99 = BenchContext.Median(latencies.Select(l => l.P99));

        // 5. Drain rate with a small queue, then 4. and 5. with the big queue.
        var queueSize = await MeasureQueueSizeAsync(ctx);

        ctx.Table.Add("1", "Logging, scopes of 1,000", $"{batched:N0} changes/s", $"{batched / rawInsert:P0} of raw insert", "≥ 50% of raw insert", batched / rawInsert >= 0.5);
        ctx.Table.Add("1", "Logging, no scope (1 per commit)", $"{single:N0} changes/s", $"{single / rawInsert:P1} of raw insert", "", null);
        ctx.Table.Add("2", "Drain, 1 connector", $"{drain1:N0} tasks/s", $"{drain1 / rawReadDelete:P0} of raw read+delete", "≥ 50% of raw read+delete", drain1 / rawReadDelete >= 0.5);
        ctx.Table.Add("2", "Drain, 4 connectors", $"{drain4:N0} tasks/s, {drain4Deliveries:N0} deliveries/s", $"", "", null);
        ctx.Table.Add("3", server ? "Wake-up latency p50 (other node)" : "Wake-up latency p50", $"{p50:F2} ms", $"", $"≤ {p50Target:F0} ms", p50 <= p50Target);
        ctx.Table.Add("3", "Wake-up latency p95", $"{p95:F2} ms", $"", "", null);
        ctx.Table.Add("3", "Wake-up latency p99", $"{p99:F2} ms", $"", $"≤ {p99Target:F0} ms", p99 <= p99Target);
        queueSize.Report(ctx);
        ctx.Table.Add("6", server ? "Raw insert (txn of 1,000, prepared batches of 100)" : "Raw insert (txn of 1,000, prepared)", $"{rawInsert:N0} rows/s", $"", "", null);
        ctx.Table.Add("6", $"Raw read+delete (batches of {batchSize})", $"{rawReadDelete:N0} rows/s", $"", "", null);
        ctx.Json["logging_batched_per_s"] = Math.Round(batched);
        ctx.Json["logging_single_per_s"] = Math.Round(single);
        ctx.Json["raw_insert_per_s"] = Math.Round(rawInsert);
        ctx.Json["logging_batched_vs_raw"] = Math.Round(batched / rawInsert, 3);
        ctx.Json["drain_1_tasks_per_s"] = Math.Round(drain1);
        ctx.Json["drain_4_tasks_per_s"] = Math.Round(drain4);
        ctx.Json["drain_4_deliveries_per_s"] = Math.Round(drain4Deliveries);
        ctx.Json["raw_read_delete_per_s"] = Math.Round(rawReadDelete);
        ctx.Json["drain_1_vs_raw"] = Math.Round(drain1 / rawReadDelete, 3);
        ctx.Json["latency_p50_ms"] = Math.Round(p50, 3);
        ctx.Json["latency_p95_ms"] = Math.Round(p95, 3);
        ctx.Json["latency_p99_ms"] = Math.Round(p99, 3);
    }

    /// <summary>Figures 4 and 5 only (suite <c>queuesize</c>): the loop for work on how the drain scales with the queue.</summary>
    public static async Task RunQueueSizeAsync(BenchContext ctx) => (await MeasureQueueSizeAsync(ctx)).Report(ctx);

    /// <summary>Figures 4 and 5: the drain rate with a small queue, then the rate and the memory with a big one.</summary>
    private static async Task<QueueSizeResult> MeasureQueueSizeAsync(BenchContext ctx)
    {
        var bigQueue = 1_000_000 / ctx.Scale;
        var smallQueue = 10_000 / ctx.Scale;
        // On PostgreSQL one run seeds and drains for minutes: 3 runs.
        var bigRuns = ctx.Store is PostgreSqlBenchStore ? Math.Min(3, ctx.Runs) : ctx.Runs;
        var smallRate = await ctx.MedianAsync(string.Create(CultureInfo.InvariantCulture, $"drain {smallQueue:N0} queued"), async () => (await DrainAsync(smallQueue, 1, store: ctx.Store, settle: true)).TasksPerSecond);
        var bigRates = new List<double>();
        var peaks = new List<double>();
        var baselines = new List<double>();
        for (var run = 1; run <= bigRuns; run++)
        {
            var result = await DrainAsync(bigQueue, 1, sampleMemory: true, store: ctx.Store, settle: true);
            bigRates.Add(result.TasksPerSecond);
            peaks.Add(result.PeakWorkingSetMb);
            baselines.Add(result.StartWorkingSetMb);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  drain {bigQueue:N0} queued run {run}: {result.TasksPerSecond:N0} tasks/s, working set {result.StartWorkingSetMb:F0} MB at start, peak {result.PeakWorkingSetMb:F0} MB"));
        }

        return new QueueSizeResult(bigQueue, smallQueue, bigRuns, smallRate, BenchContext.Median(bigRates), BenchContext.Median(peaks), BenchContext.Median(baselines));
    }

    private sealed record QueueSizeResult(int BigQueue, int SmallQueue, int BigRuns, double SmallRate, double BigRate, double Peak, double Baseline)
    {
        public void Report(BenchContext ctx)
        {
            ctx.Table.Add("4", $"Peak working set, {BigQueue:N0} queued", $"{Peak:F0} MB", $"{Baseline:F0} MB before the drain", "≤ 200 MB", Peak <= 200);
            ctx.Table.Add("5", $"Drain rate {BigQueue:N0} vs {SmallQueue:N0} queued", $"{BigRate:N0} vs {SmallRate:N0} tasks/s", $"{BigRate / SmallRate:P0}", "within 25% (≥ 75%)", BigRate / SmallRate >= 0.75);
            ctx.Json["big_queue"] = BigQueue;
            ctx.Json["big_queue_runs"] = BigRuns;
            ctx.Json["peak_working_set_mb"] = Math.Round(Peak, 1);
            ctx.Json["drain_big_per_s"] = Math.Round(BigRate);
            ctx.Json["drain_small_per_s"] = Math.Round(SmallRate);
            ctx.Json["drain_big_vs_small"] = Math.Round(BigRate / SmallRate, 3);
        }
    }

    /// <summary>Outgoing logging in scopes of 1,000 (figure 1a), also used by the incoming suite for its ratio.</summary>
    public static Task<double> BatchedLoggingAsync(BenchContext ctx, int changes) => ctx.MedianAsync("logging, scopes of 1,000", async () =>
    {
        await using var bench = await BenchBus.CreateAsync(1, store: ctx.Store);
        var stopwatch = Stopwatch.StartNew();
        await bench.LogAsync(1, changes, 1_000);
        return changes / stopwatch.Elapsed.TotalSeconds;
    });

    internal static async Task<(double TasksPerSecond, double PeakWorkingSetMb, double StartWorkingSetMb)> DrainAsync(int count, int connectorCount, bool sampleMemory = false, BenchStore? store = null, bool settle = false)
    {
        await using var bench = await BenchBus.CreateAsync(connectorCount, store: store);
        await bench.LogAsync(1, count, 1_000);
        if (settle)
        {
            await bench.SettleAsync();
        }

        var drained = new List<Task>();
        foreach (var connector in bench.Connectors)
        {
            connector.Expect(count);
            drained.Add(bench.DrainedAsync(connector));
        }

        using var sampler = new MemorySampler();
        if (sampleMemory)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            sampler.Start();
        }

        var stopwatch = Stopwatch.StartNew();
        await bench.StartAsync();
        await Task.WhenAll(drained).WaitAsync(TimeSpan.FromMinutes(10));
        var elapsed = stopwatch.Elapsed;
        var (start, peak) = sampleMemory ? await sampler.StopAsync() : (0, 0);
        var left = await bench.CountQueuedAsync();
        if (left != 0)
        {
            throw new InvalidOperationException($"{left} tasks are still queued after the drain.");
        }

        return (count / elapsed.TotalSeconds, peak, start);
    }

    /// <summary>
    /// Figure 3. On SQLite one bus logs and runs; on a server store (PostgreSQL) a producer-only node logs and a second
    /// node on the same schema runs the connector, so the wake-up crosses nodes (LISTEN/NOTIFY).
    /// </summary>
    private static async Task<(double P50, double P95, double P99, double Min)> LatencyAsync(int count, BenchStore store)
    {
        var crossNode = store is PostgreSqlBenchStore;
        await using var producer = await BenchBus.CreateAsync(1, crossNode ? bus => bus.Configure(o => o.ProducerOnly = true) : null, store: store);
        await using var runner = crossNode ? await BenchBus.CreateAsync(1, path: producer.Path, store: store, shared: true) : producer;
        var connector = runner.Connectors[0];
        var called = new ConcurrentDictionary<long, long>();
        connector.OnCall = (id, timestamp) => called[id] = timestamp;
        await runner.StartAsync();
        connector.Expect(count);
        var completed = new long[count];
        var bus = producer.Bus;
        for (var i = 0; i < count; i++)
        {
            var scope = bus.BeginScope();
            await using (scope)
            {
                await bus.LogChangeAsync(BenchTypes.NewItem(i), TaskType.CreateObject);
                await scope.CompleteAsync();
                completed[i] = Stopwatch.GetTimestamp();
            }

            await Task.Delay(5);
        }

        await connector.Reached.WaitAsync(TimeSpan.FromMinutes(1));
        var latencies = Enumerable.Range(0, count)
            .Select(i => Stopwatch.GetElapsedTime(completed[i], called[i]).TotalMilliseconds)
            .Order().ToList();
        // A connector call can start before CompleteAsync's caller resumes: that counts as 0 ms.
        var clamped = latencies.Select(l => Math.Max(0, l)).ToList();
        return (BenchContext.Percentile(clamped, 0.50), BenchContext.Percentile(clamped, 0.95), BenchContext.Percentile(clamped, 0.99), latencies[0]);
    }
}
