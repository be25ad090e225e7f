using System.Diagnostics;
using System.Globalization;
using IntegrationBus.EntityFrameworkCore;
using IntegrationBus.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationBus.Benchmarks;

/// <summary>Figure 11: incoming tasks applied through the EF Core data handler into SQLite (half creates, half updates found by GUID).</summary>
internal static class EfApplySuite
{
    private const string TypeName = "bench.entity";
    private const int IntakeBatch = 1_000;

    public static async Task RunAsync(BenchContext ctx)
    {
        await MeasureAsync(ctx, synchronousNormal: false);
        await MeasureAsync(ctx, synchronousNormal: true);
    }

    /// <summary>One drain; with <paramref name="synchronousNormal"/> the application's connection uses <c>synchronous = NORMAL</c> (figure 11b), else SQLite's default FULL (11).</summary>
    private static async Task MeasureAsync(BenchContext ctx, bool synchronousNormal)
    {
        var figure = synchronousNormal ? "11b" : "11";
        var key = synchronousNormal ? "efapply_normal" : "efapply";
        var tasks = 100_000 / ctx.Scale;
        var existing = tasks / 2;
        var path = Path.Combine(Path.GetTempPath(), $"ibus-bench-apply-{Guid.NewGuid():N}.db");
        var connectionString = $"Data Source={path}";
        // The application table and the rows the updates find by GUID, written without the bus (before the bus adds its tables).
        var guids = new Guid[existing];
        await using (var db = new ApplyDb(new DbContextOptionsBuilder<ApplyDb>().UseSqlite(connectionString).Options))
        {
            await db.Database.EnsureCreatedAsync();
            for (var start = 0; start < existing; start += IntakeBatch)
            {
                for (var i = start; i < Math.Min(existing, start + IntakeBatch); i++)
                {
                    guids[i] = Guid.NewGuid();
                    db.Items.Add(new Item { ItemGuid = guids[i], ItemName = $"old{i}", ItemTitle = $"Old {i}", Email = $"old{i}@example.com", Price = 1m });
                }

                await db.SaveChangesAsync();
                db.ChangeTracker.Clear();
            }
        }

        await using var bench = await BenchBus.CreateAsync(1, bus =>
        {
            bus.AddEntityFrameworkCore<ApplyDb>(ef => ef.Object<Item>(TypeName, e => e.Id(i => i.ItemId).Guid(i => i.ItemGuid).CodeName(i => i.ItemName).DisplayName(i => i.ItemTitle)));
            bus.Services.AddDbContext<ApplyDb>((sp, options) =>
            {
                options.UseSqlite(connectionString).UseIntegrationBus(sp);
                if (synchronousNormal)
                {
                    options.AddInterceptors(new SqliteSynchronousNormal());
                }
            });
        }, path);

        // Queue the incoming tasks (interleaved: create, update, create, …) with the runners stopped.
        var type = bench.Bus.Types.Get(TypeName);
        for (var start = 0; start < tasks; start += IntakeBatch)
        {
            var changes = new List<ExternalChange>(IntakeBatch);
            for (var n = start; n < Math.Min(tasks, start + IntakeBatch); n++)
            {
                var update = n % 2 == 1;
                var obj = new BusObject(type)
                {
                    ["ItemGuid"] = update ? guids[n / 2] : Guid.NewGuid(),
                    ["ItemName"] = $"item{n}",
                    ["ItemTitle"] = update ? $"Updated {n}" : $"Created {n}",
                    ["Email"] = $"item{n}@example.com",
                    ["Price"] = 12.5m,
                };
                changes.Add(new ExternalChange(obj, update ? TaskType.UpdateObject : TaskType.CreateObject, DataType.Simple));
            }

            var results = await bench.Bus.ProcessExternalTasksAsync("bench1", changes);
            if (results.FirstOrDefault(r => r.Status != ExternalTaskStatus.Queued) is { } refused)
            {
                throw new InvalidOperationException($"{refused.Status} {refused.Message}");
            }
        }

        var before = SettledWorkingSetMb();
        using var sampler = new MemorySampler();
        var drained = bench.IncomingDrainedAsync(bench.Connectors[0], () => true);
        sampler.Start();
        var cpuBefore = ProcessorTime();
        var stopwatch = Stopwatch.StartNew();
        await bench.StartAsync();
        await drained.WaitAsync(TimeSpan.FromHours(2));
        var elapsed = stopwatch.Elapsed;
        // CPU time of the whole process while draining: less sensitive to other load on a shared machine than the wall clock.
        var cpuUsPerTask = (ProcessorTime() - cpuBefore).TotalMicroseconds / tasks;
        var (_, peak) = await sampler.StopAsync();
        var after = SettledWorkingSetMb();

        var left = await bench.Store.Management.CountTasksAsync(new TaskQuery { Direction = TaskDirection.Incoming }, CancellationToken.None);
        await using (var db = new ApplyDb(new DbContextOptionsBuilder<ApplyDb>().UseSqlite(connectionString).Options))
        {
            var rows = await db.Items.CountAsync();
            var updated = await db.Items.CountAsync(i => i.ItemTitle.StartsWith("Updated"));
            if (left != 0 || rows != existing + (tasks - existing) || updated != existing)
            {
                throw new InvalidOperationException($"After the drain: {left} incoming tasks left, {rows} rows, {updated} updated (expected 0, {tasks}, {existing}).");
            }
        }

        var rate = tasks / elapsed.TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  EF Core apply ({(synchronousNormal ? "synchronous NORMAL" : "synchronous FULL")}): {tasks:N0} tasks in {elapsed.TotalSeconds:F1} s = {rate:N0} tasks/s; working set before {before:F0} MB, peak {peak:F0} MB, after the drain {after:F0} MB; process CPU {cpuUsPerTask:F0} µs a task"));
        ctx.Table.Add(figure, $"Incoming apply through EF Core ({tasks:N0}: half creates, half updates by GUID){(synchronousNormal ? ", application connection synchronous NORMAL" : "")}", $"{rate:N0} tasks/s", $"", "≥ 5,000 tasks/s", rate >= 5_000);
        ctx.Table.Add(figure, "  peak working set while applying", $"{peak:F0} MB", $"", "≤ 250 MB", peak <= 250);
        ctx.Table.Add(figure, "  working set after the drain (before it)", $"{after:F0} MB ({before:F0} MB)", $"{after - before:+0;-0} MB", "within 50 MB", after - before <= 50);
        ctx.Json[$"{key}_tasks"] = tasks;
        ctx.Json[$"{key}_per_s"] = Math.Round(rate);
        ctx.Json[$"{key}_cpu_us_per_task"] = Math.Round(cpuUsPerTask);
        ctx.Json[$"{key}_ws_before_mb"] = Math.Round(before, 1);
        ctx.Json[$"{key}_ws_peak_mb"] = Math.Round(peak, 1);
        ctx.Json[$"{key}_ws_after_mb"] = Math.Round(after, 1);
    }

    private static TimeSpan ProcessorTime()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime;
    }

    private static double SettledWorkingSetMb()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        using var process = Process.GetCurrentProcess();
        return process.WorkingSet64 / 1048576.0;
    }

    /// <summary>The application DbContext of figure 11: the bench entity, with the index the data handler looks rows up by.</summary>
    private sealed class ApplyDb(DbContextOptions<ApplyDb> options) : DbContext(options)
    {
        public DbSet<Item> Items => Set<Item>();

        protected override void OnModelCreating(ModelBuilder modelBuilder)
        {
            modelBuilder.Entity<Item>().HasKey(i => i.ItemId);
            modelBuilder.Entity<Item>().HasIndex(i => i.ItemGuid).IsUnique();
            modelBuilder.Entity<Item>().HasIndex(i => i.ItemName);
            modelBuilder.Entity<Item>().Property(i => i.Price).HasConversion<double>();
        }
    }
}
