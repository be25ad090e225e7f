using System.Diagnostics;
using System.Globalization;
using IntegrationBus.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationBus.Benchmarks;

/// <summary>Figures 7-9: incoming intake over HTTP, incoming intake in process, incoming processing.</summary>
internal static class IncomingSuite
{
    private const int Workers = 8;

    public static async Task RunAsync(BenchContext ctx)
    {
        var tasks = 20_000 / ctx.Scale;
        var changes = 100_000 / ctx.Scale;

        // 7. Intake over HTTP: a fresh web application (and database) per run; SQLite only (the application's own file).
        var server = ctx.Store is PostgreSqlBenchStore;
        double httpRate = 0, p50 = 0, p99 = 0;
        if (server)
        {
            Console.WriteLine("  incoming intake over HTTP: figure 7 runs on SQLite only");
        }
        else
        {
            var p50s = new List<double>();
            var p99s = new List<double>();
            httpRate = await ctx.MedianAsync("incoming intake over HTTP", async () =>
            {
                var bodies = Enumerable.Range(1, tasks).Select(i => IncomingHttp.Body(i)).ToArray();
                await using var host = await IncomingHttp.StartAsync();
                var (elapsed, latencies) = await host.PostAllAsync(bodies, Workers);
                await CheckQueuedAsync(host.Management, tasks);
                p50s.Add(BenchContext.Percentile(latencies, 0.50));
                p99s.Add(BenchContext.Percentile(latencies, 0.99));
                return tasks / elapsed.TotalSeconds;
            });
            p50s.RemoveAt(0); // the warm-up
            p99s.RemoveAt(0);
            p50 = BenchContext.Median(p50s);
            p99 = BenchContext.Median(p99s);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  HTTP request latency: p50 {p50:F2} ms, p99 {p99:F2} ms  (p50 runs: {string.Join(", ", p50s.Select(v => v.ToString("F2", CultureInfo.InvariantCulture)))}; p99 runs: {string.Join(", ", p99s.Select(v => v.ToString("F2", CultureInfo.InvariantCulture)))})"));
        }

        // 8. Intake in process, and batched outgoing logging from the same process run for the ratio.
        string? payload = null;
        var inProcess = await ctx.MedianAsync("incoming intake in process", async () =>
        {
            await using var bench = await CreateAsync(ctx);
            var elapsed = await IntakeAsync(bench.Bus, tasks);
            await CheckQueuedAsync(bench.Management, tasks);
            payload ??= (await bench.Store.Management.GetTaskAsync(1, CancellationToken.None))?.Payload ?? "";
            return tasks / elapsed.TotalSeconds;
        });
        var bulk = await ctx.MedianAsync("incoming intake in process, bulk", async () =>
        {
            await using var bench = await CreateAsync(ctx);
            var elapsed = await BulkIntakeAsync(bench.Bus, tasks);
            await CheckQueuedAsync(bench.Management, tasks);
            return tasks / elapsed.TotalSeconds;
        });
        var batched = await CoreSuite.BatchedLoggingAsync(ctx, changes);

        // Reference for 8: outgoing logging with one commit per change (no scope), the same shape of write as an incoming task.
        // (2,000 on PostgreSQL, where each is a commit of several round trips.)
        var singleCount = server ? 2_000 / ctx.Scale : tasks;
        var single = await ctx.MedianAsync("logging, no scope (reference)", async () =>
        {
            await using var bench = await BenchBus.CreateAsync(1, store: ctx.Store);
            var stopwatch = Stopwatch.StartNew();
            await bench.LogAsync(1, singleCount, 1);
            return singleCount / stopwatch.Elapsed.TotalSeconds;
        });

        // Reference for 8: what commits of 8 tasks cost the database itself, with no bus and no concurrency: the raw
        // baseline of figure 6 on one connection (SQLite: prepared inserts with explicit IDs, as the store gives them),
        // the intake's payload, a commit every 8 tasks. The group commit cannot beat it.
        var ceiling = await ctx.MedianAsync($"plain {ctx.Store.Name}, {Workers} tasks a commit (reference)", () =>
        {
            using var raw = ctx.Store.CreateRaw();
            var elapsed = raw is RawSqlite sqlite ? sqlite.Insert(tasks, Workers, payload!, explicitIds: true) : raw.Insert(tasks, Workers, payload!);
            return Task.FromResult(tasks / elapsed.TotalSeconds);
        });

        // 9. Incoming processing: drain a queue of incoming tasks through a no-op data handler.
        var drain = await ctx.MedianAsync("incoming processing", async () =>
        {
            await using var bench = await CreateAsync(ctx);
            await IntakeAsync(bench.Bus, tasks);
            var handler = (BenchDataHandler)bench.Services.GetRequiredService<IInternalDataHandler>();
            handler.Expect(tasks);
            var drained = bench.IncomingDrainedAsync(bench.Connectors[0], () => handler.Reached);
            var stopwatch = Stopwatch.StartNew();
            await bench.StartAsync();
            await drained.WaitAsync(TimeSpan.FromMinutes(10));
            var elapsed = stopwatch.Elapsed;
            var left = await bench.Store.Management.CountTasksAsync(new TaskQuery { Direction = TaskDirection.Incoming }, CancellationToken.None);
            return left == 0 && handler.Count == tasks
                ? tasks / elapsed.TotalSeconds
                : throw new InvalidOperationException($"{left} incoming tasks still queued, handler applied {handler.Count} of {tasks}.");
        });

        var ratio = inProcess / batched;
        if (!server)
        {
            ctx.Table.Add("7", $"Incoming intake over HTTP ({tasks:N0} tasks, {Workers} clients)", $"{httpRate:N0} tasks/s", $"p50 {p50:F2} ms, p99 {p99:F2} ms", "≥ 5,000 tasks/s", httpRate >= 5_000);
            ctx.Json["incoming_http_per_s"] = Math.Round(httpRate);
            ctx.Json["incoming_http_p50_ms"] = Math.Round(p50, 3);
            ctx.Json["incoming_http_p99_ms"] = Math.Round(p99, 3);
        }

        ctx.Table.Add("8", $"Incoming intake in process ({Workers} callers)", $"{inProcess:N0} tasks/s", $"{ratio:P0} of batched logging ({batched:N0}/s)", "≥ 50% of batched logging", ratio >= 0.5);
        ctx.Table.Add("8", $"Incoming intake in process, bulk ({BulkSize:N0} per ProcessExternalTasksAsync)", $"{bulk:N0} tasks/s", $"{bulk / batched:P0} of batched logging", "≥ 50% of batched logging", bulk / batched >= 0.5);
        ctx.Table.Add("8", "  reference: outgoing logging, no scope (1 commit per change)", $"{single:N0} changes/s", $"intake = {inProcess / single:P0} of it", "", null);
        ctx.Table.Add("8", $"  reference: plain {ctx.Store.Name}, {Workers} tasks a commit (1 connection, no bus)", $"{ceiling:N0} tasks/s", $"{ceiling / batched:P0} of batched logging; intake = {inProcess / ceiling:P0} of it", "", null);
        ctx.Table.Add("9", $"Incoming processing, no-op handler ({tasks:N0} queued)", $"{drain:N0} tasks/s", $"", "", null);
        ctx.Json["incoming_tasks"] = tasks;
        ctx.Json["incoming_in_process_per_s"] = Math.Round(inProcess);
        ctx.Json["incoming_logging_batched_per_s"] = Math.Round(batched);
        ctx.Json["incoming_in_process_bulk_per_s"] = Math.Round(bulk);
        ctx.Json["incoming_in_process_bulk_vs_batched_logging"] = Math.Round(bulk / batched, 3);
        ctx.Json["incoming_in_process_vs_batched_logging"] = Math.Round(ratio, 3);
        ctx.Json["incoming_logging_single_per_s"] = Math.Round(single);
        ctx.Json["incoming_plain_8_per_commit_per_s"] = Math.Round(ceiling);
        ctx.Json["incoming_plain_8_per_commit_vs_batched_logging"] = Math.Round(ceiling / batched, 3);
        ctx.Json["incoming_processing_per_s"] = Math.Round(drain);
    }

    private const int BulkSize = 1_000;

    private static Task<BenchBus> CreateAsync(BenchContext ctx) => BenchBus.CreateAsync(1, bus => bus.UseInternalDataHandler<BenchDataHandler>(), store: ctx.Store);

    private static async Task<TimeSpan> IntakeAsync(IntegrationBusService bus, int count)
    {
        var items = Enumerable.Range(1, count).Select(i => BenchTypes.NewItem(i)).ToArray();
        var stopwatch = Stopwatch.StartNew();
        await BenchContext.RunConcurrentAsync(count, Workers, async i =>
        {
            var result = await bus.ProcessExternalTaskAsync("bench1", items[i], TaskType.CreateObject, DataType.Simple, null);
            if (result.Status != ExternalTaskStatus.Queued)
            {
                throw new InvalidOperationException($"Task {i}: {result.Status} {result.Message}");
            }
        });
        return stopwatch.Elapsed;
    }

    private static async Task<TimeSpan> BulkIntakeAsync(IntegrationBusService bus, int count)
    {
        var changes = Enumerable.Range(1, count).Select(i => new ExternalChange(BenchTypes.NewItem(i), TaskType.CreateObject, DataType.Simple)).ToArray();
        var stopwatch = Stopwatch.StartNew();
        for (var start = 0; start < count; start += BulkSize)
        {
            var results = await bus.ProcessExternalTasksAsync("bench1", changes[start..Math.Min(count, start + BulkSize)]);
            if (results.FirstOrDefault(r => r.Status != ExternalTaskStatus.Queued) is { } refused)
            {
                throw new InvalidOperationException($"{refused.Status} {refused.Message}");
            }
        }

        return stopwatch.Elapsed;
    }

    private static async Task CheckQueuedAsync(IntegrationBus.Management.IntegrationBusManagement management, int expected)
    {
        var queued = await management.CountTasksAsync(new TaskQuery { Direction = TaskDirection.Incoming }, CancellationToken.None);
        if (queued != expected)
        {
            throw new InvalidOperationException($"{queued} incoming tasks queued, expected {expected}.");
        }
    }
}
