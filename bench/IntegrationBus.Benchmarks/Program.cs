using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using IntegrationBus.Benchmarks;
using IntegrationBus.Hosting;
using IntegrationBus.Storage;

// A plain console benchmark: warm-up, then the median of several runs per figure. See README.md.
var quick = args.Contains("--quick");
var scale = quick ? 10 : 1;
const int Runs = 5;
var batchSize = new IntegrationBusOptions().BatchSize;
var changes = 100_000 / scale;
var singleChanges = 100_000 / scale;
var latencyChanges = 1_000 / scale;
var bigQueue = 1_000_000 / scale;
var smallQueue = 10_000 / scale;
var bigRuns = Runs; // the 10,000-queued drains before serve as its warm-up
var table = new Report();
var total = Stopwatch.StartNew();

Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"IntegrationBus benchmarks{(quick ? " (--quick: counts / 10)" : "")}: .NET {Environment.Version}, {Environment.ProcessorCount} cores, {Runs} runs per figure (median), batch size {batchSize}"));

// 1. Logging throughput.
string samplePayload = "";
var batched = await MedianAsync("logging, scopes of 1,000", async () =>
{
    await using var bench = await BenchBus.CreateAsync(1);
    var stopwatch = Stopwatch.StartNew();
    await bench.LogAsync(1, changes, 1_000);
    var elapsed = stopwatch.Elapsed;
    samplePayload = await bench.Store.GetPayloadAsync(1, CancellationToken.None) ?? "";
    return changes / elapsed.TotalSeconds;
});
var single = await MedianAsync("logging, no scope", async () =>
{
    await using var bench = await BenchBus.CreateAsync(1);
    var stopwatch = Stopwatch.StartNew();
    await bench.LogAsync(1, singleChanges, 1);
    return singleChanges / stopwatch.Elapsed.TotalSeconds;
});

// 6. Raw baseline (measured early, the ratios need it).
var rawInsert = await MedianAsync("raw insert", () =>
{
    using var raw = RawSqlite.Create();
    return Task.FromResult(changes / raw.Insert(changes, 1_000, samplePayload).TotalSeconds);
});
var rawReadDelete = await MedianAsync("raw read+delete", () =>
{
    using var raw = RawSqlite.Create();
    raw.Insert(changes, 1_000, samplePayload);
    var (elapsed, read) = raw.ReadAndDelete(batchSize);
    return Task.FromResult(read == changes ? changes / elapsed.TotalSeconds : throw new InvalidOperationException($"Raw read {read} of {changes}."));
});

// 2. Drain throughput.
var drain1 = await MedianAsync("drain, 1 connector", async () => (await DrainAsync(changes, 1)).TasksPerSecond);
var drain4Deliveries = 0.0;
var drain4 = await MedianAsync("drain, 4 connectors", async () =>
{
    var result = await DrainAsync(changes, 4);
    return result.TasksPerSecond;
});
drain4Deliveries = drain4 * 4;

// 3. Wake-up latency.
var latencies = new List<(double P50, double P95, double P99, double Min)>();
for (var run = 0; run <= Runs; run++)
{
    var result = await LatencyAsync(run == 0 ? Math.Min(100, latencyChanges) : latencyChanges);
    if (run > 0)
    {
        latencies.Add(result);
    }

    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"  latency {(run == 0 ? "warm-up" : "run " + run)}: p50 {result.P50:F2} ms, p95 {result.P95:F2} ms, p99 {result.P99:F2} ms, min {result.Min:F2} ms"));
}

var p50 = Median(latencies.Select(l => l.P50));
var p95 = Median(latencies.Select(l => l.P95));
var p99 = Median(latencies.Select(l => l.P99));

// 5. Drain rate with a small queue, then 4. and 5. with the big queue.
var smallRate = await MedianAsync(string.Create(CultureInfo.InvariantCulture, $"drain {smallQueue:N0} queued"), async () => (await DrainAsync(smallQueue, 1)).TasksPerSecond);
var bigRates = new List<double>();
var peaks = new List<double>();
var baselines = new List<double>();
for (var run = 1; run <= bigRuns; run++)
{
    var result = await DrainAsync(bigQueue, 1, sampleMemory: true);
    bigRates.Add(result.TasksPerSecond);
    peaks.Add(result.PeakWorkingSetMb);
    baselines.Add(result.StartWorkingSetMb);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"  drain {bigQueue:N0} queued run {run}: {result.TasksPerSecond:N0} tasks/s, working set {result.StartWorkingSetMb:F0} MB at start, peak {result.PeakWorkingSetMb:F0} MB"));
}

var bigRate = Median(bigRates);
var peak = Median(peaks);

table.Add("1", "Logging, scopes of 1,000", $"{batched:N0} changes/s", $"{batched / rawInsert:P0} of raw insert", "≥ 50% of raw insert", batched / rawInsert >= 0.5);
table.Add("1", "Logging, no scope (1 per commit)", $"{single:N0} changes/s", $"{single / rawInsert:P1} of raw insert", "", null);
table.Add("2", "Drain, 1 connector", $"{drain1:N0} tasks/s", $"{drain1 / rawReadDelete:P0} of raw read+delete", "≥ 50% of raw read+delete", drain1 / rawReadDelete >= 0.5);
table.Add("2", "Drain, 4 connectors", $"{drain4:N0} tasks/s, {drain4Deliveries:N0} deliveries/s", $"", "", null);
table.Add("3", "Wake-up latency p50", $"{p50:F2} ms", $"", "≤ 2 ms", p50 <= 2);
table.Add("3", "Wake-up latency p95", $"{p95:F2} ms", $"", "", null);
table.Add("3", "Wake-up latency p99", $"{p99:F2} ms", $"", "≤ 20 ms", p99 <= 20);
table.Add("4", $"Peak working set, {bigQueue:N0} queued", $"{peak:F0} MB", $"{Median(baselines):F0} MB before the drain", "≤ 200 MB", peak <= 200);
table.Add("5", $"Drain rate {bigQueue:N0} vs {smallQueue:N0} queued", $"{bigRate:N0} vs {smallRate:N0} tasks/s", $"{bigRate / smallRate:P0}", "within 25% (≥ 75%)", bigRate / smallRate >= 0.75);
table.Add("6", "Raw insert (txn of 1,000, prepared)", $"{rawInsert:N0} rows/s", $"", "", null);
table.Add("6", $"Raw read+delete (batches of {batchSize})", $"{rawReadDelete:N0} rows/s", $"", "", null);
table.Print();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Total time {total.Elapsed.TotalSeconds:F0} s"));

using var self = Process.GetCurrentProcess();
var json = new Dictionary<string, object>
{
    ["quick"] = quick,
    ["runs"] = Runs,
    ["logging_batched_per_s"] = Math.Round(batched),
    ["logging_single_per_s"] = Math.Round(single),
    ["raw_insert_per_s"] = Math.Round(rawInsert),
    ["logging_batched_vs_raw"] = Math.Round(batched / rawInsert, 3),
    ["drain_1_tasks_per_s"] = Math.Round(drain1),
    ["drain_4_tasks_per_s"] = Math.Round(drain4),
    ["drain_4_deliveries_per_s"] = Math.Round(drain4Deliveries),
    ["raw_read_delete_per_s"] = Math.Round(rawReadDelete),
    ["drain_1_vs_raw"] = Math.Round(drain1 / rawReadDelete, 3),
    ["latency_p50_ms"] = Math.Round(p50, 3),
    ["latency_p95_ms"] = Math.Round(p95, 3),
    ["latency_p99_ms"] = Math.Round(p99, 3),
    ["big_queue"] = bigQueue,
    ["big_queue_runs"] = bigRuns,
    ["peak_working_set_mb"] = Math.Round(peak, 1),
    ["process_peak_working_set_mb"] = Math.Round(self.PeakWorkingSet64 / 1048576.0, 1),
    ["drain_big_per_s"] = Math.Round(bigRate),
    ["drain_small_per_s"] = Math.Round(smallRate),
    ["drain_big_vs_small"] = Math.Round(bigRate / smallRate, 3),
    ["pass"] = table.Verdicts,
};
Console.WriteLine("RESULT " + JsonSerializer.Serialize(json));

async Task<double> MedianAsync(string name, Func<Task<double>> run)
{
    await run(); // warm-up
    var values = new List<double>();
    for (var i = 0; i < Runs; i++)
    {
        values.Add(await run());
    }

    var median = Median(values);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {name}: median {median:N0}/s  (runs: {string.Join(", ", values.Select(v => v.ToString("N0", CultureInfo.InvariantCulture)))})"));
    return median;
}

static double Median(IEnumerable<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
}

static double Percentile(List<double> sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];

static async Task<(double TasksPerSecond, double PeakWorkingSetMb, double StartWorkingSetMb)> DrainAsync(int count, int connectorCount, bool sampleMemory = false)
{
    await using var bench = await BenchBus.CreateAsync(connectorCount);
    await bench.LogAsync(1, count, 1_000);
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

static async Task<(double P50, double P95, double P99, double Min)> LatencyAsync(int count)
{
    await using var bench = await BenchBus.CreateAsync(1);
    var connector = bench.Connectors[0];
    var called = new ConcurrentDictionary<long, long>();
    connector.OnCall = (id, timestamp) => called[id] = timestamp;
    await bench.StartAsync();
    connector.Expect(count);
    var completed = new long[count];
    var bus = bench.Bus;
    for (var i = 0; i < count; i++)
    {
        var scope = bus.BeginScope();
        await using (scope)
        {
            await bus.LogChangeAsync(BenchTypes.NewItem(i), IntegrationBus.Model.TaskType.CreateObject);
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
    return (Percentile(clamped, 0.50), Percentile(clamped, 0.95), Percentile(clamped, 0.99), latencies[0]);
}
