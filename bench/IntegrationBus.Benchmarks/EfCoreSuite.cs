using System.Diagnostics;
using System.Globalization;
using IntegrationBus.EntityFrameworkCore;
using IntegrationBus.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationBus.Benchmarks;

/// <summary>Figure 10: the SaveChanges overhead of the bus interceptor (EF Core on SQLite).</summary>
internal static class EfCoreSuite
{
    private const int EntitiesPerSave = 1_000;
    private const int PairedRounds = 9;

    public static async Task RunAsync(BenchContext ctx)
    {
        var saves = ctx.Quick ? 5 : 20;
        // More rounds than the other figures: one run of this figure varies by ±30 % on a shared 2-core machine.
        var rounds = ctx.Quick ? ctx.Runs : PairedRounds;
        Console.WriteLine($"  EF Core: {saves} SaveChanges of {EntitiesPerSave:N0} new entities per run, fresh DbContext each, {rounds} rounds");
        // The four variants are interleaved (one warm-up round, then round after round) so that JIT tiering, GC and
        // machine noise spread evenly over them instead of favouring whichever runs last.
        (string Name, bool WithBus, bool Async)[] variants =
        [
            ("SaveChanges without bus", false, false), ("SaveChanges with bus", true, false),
            ("SaveChangesAsync without bus", false, true), ("SaveChangesAsync with bus", true, true),
        ];
        var values = variants.Select(_ => new List<double>()).ToArray();
        for (var round = 0; round <= rounds; round++)
        {
            for (var v = 0; v < variants.Length; v++)
            {
                var ms = await MeasureAsync(variants[v].WithBus, variants[v].Async, saves);
                if (round > 0)
                {
                    values[v].Add(ms);
                }
            }
        }

        var medians = new double[variants.Length];
        for (var v = 0; v < variants.Length; v++)
        {
            medians[v] = BenchContext.Median(values[v]);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {variants[v].Name}: median {medians[v]:F1} ms  (runs: {string.Join(", ", values[v].Select(x => x.ToString("F1", CultureInfo.InvariantCulture)))})"));
        }

        // The overhead is judged round by round: a round's runs with and without the bus follow each other within a few
        // seconds, so a slow phase of the machine weighs on both; the median of the rounds' overheads is the figure.
        var overheadSync = PairedOverhead("SaveChanges", values[0], values[1]);
        var overheadAsync = PairedOverhead("SaveChangesAsync", values[2], values[3]);
        var (plainSync, busSync, plainAsync, busAsync) = (medians[0], medians[1], medians[2], medians[3]);
        ctx.Table.Add("10", "SaveChanges of 1,000, without / with bus", $"{plainSync:F1} / {busSync:F1} ms", $"overhead {overheadSync:P0} (median of {rounds} rounds)", "< 30%", overheadSync < 0.3);
        ctx.Table.Add("10", "SaveChangesAsync of 1,000, without / with bus", $"{plainAsync:F1} / {busAsync:F1} ms", $"overhead {overheadAsync:P0} (median of {rounds} rounds)", "< 30%", overheadAsync < 0.3);
        ctx.Json["efcore_saves_per_run"] = saves;
        ctx.Json["efcore_save_plain_ms"] = Math.Round(plainSync, 2);
        ctx.Json["efcore_save_bus_ms"] = Math.Round(busSync, 2);
        ctx.Json["efcore_save_overhead"] = Math.Round(overheadSync, 3);
        ctx.Json["efcore_save_async_plain_ms"] = Math.Round(plainAsync, 2);
        ctx.Json["efcore_save_async_bus_ms"] = Math.Round(busAsync, 2);
        ctx.Json["efcore_save_async_overhead"] = Math.Round(overheadAsync, 3);
    }

    /// <summary>Prints each round's overhead (with / without − 1) and returns their median.</summary>
    private static double PairedOverhead(string name, List<double> without, List<double> with)
    {
        var overheads = without.Zip(with, (plain, bus) => (bus - plain) / plain).ToList();
        var median = BenchContext.Median(overheads);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {name} overhead: median {median:P0} of the rounds, {(BenchContext.Median(with) - BenchContext.Median(without)) / BenchContext.Median(without):P0} from the medians  (rounds: {string.Join(", ", overheads.Select(o => o.ToString("P0", CultureInfo.InvariantCulture)))})"));
        return median;
    }

    /// <summary>
    /// One run on a fresh file that has both the application table and the bus tables (same shape with and without
    /// the bus); returns the mean milliseconds per SaveChanges of 1,000 new entities. The runners are never started
    /// and outgoing processing is switched off, so nothing drains meanwhile.
    /// </summary>
    private static async Task<double> MeasureAsync(bool withBus, bool async, int saves)
    {
        var path = Path.Combine(Path.GetTempPath(), $"ibus-bench-ef-{Guid.NewGuid():N}.db");
        var connectionString = $"Data Source={path}";
        var services = new ServiceCollection();
        services.AddIntegrationBus(bus => bus
            .UseSqlite(connectionString)
            .AddEntityFrameworkCore<BenchDb>(ef => ef.Object<Item>(BenchTypes.ItemName, e => e.Id(i => i.ItemId).Guid(i => i.ItemGuid).CodeName(i => i.ItemName).DisplayName(i => i.ItemTitle)))
            .AddConnector(new BenchConnector("bench1")));
        services.AddDbContext<BenchDb>((sp, options) => options.UseSqlite(connectionString).UseIntegrationBus(sp));
        var plainOptions = new DbContextOptionsBuilder<BenchDb>().UseSqlite(connectionString).Options;
        var provider = services.BuildServiceProvider();
        try
        {
            await using (var db = new BenchDb(plainOptions))
            {
                await db.Database.EnsureCreatedAsync();
            }

            var management = provider.GetRequiredService<Management.IntegrationBusManagement>();
            await management.UpdateSettingsAsync(new BusSettings(ProcessOutgoing: false));
            var elapsed = TimeSpan.Zero;
            for (var save = 0; save < saves; save++)
            {
                using var scope = provider.CreateScope();
                var db = withBus ? scope.ServiceProvider.GetRequiredService<BenchDb>() : new BenchDb(plainOptions);
                for (var i = 0; i < EntitiesPerSave; i++)
                {
                    var n = (save * EntitiesPerSave) + i;
                    db.Items.Add(new Item { ItemGuid = Guid.NewGuid(), ItemName = $"item{n}", ItemTitle = $"Item number {n}", Email = $"item{n}@example.com", Price = 12.5m });
                }

                var stopwatch = Stopwatch.StartNew();
                var written = async ? await db.SaveChangesAsync() : db.SaveChanges();
                elapsed += stopwatch.Elapsed;
                if (!withBus)
                {
                    await db.DisposeAsync();
                }

                if (written != EntitiesPerSave)
                {
                    throw new InvalidOperationException($"SaveChanges wrote {written} rows.");
                }
            }

            var queued = await management.CountTasksAsync(new Storage.TaskQuery(), CancellationToken.None);
            if (queued != (withBus ? saves * EntitiesPerSave : 0))
            {
                throw new InvalidOperationException($"{queued} tasks queued after {saves} saves (with bus: {withBus}).");
            }

            return elapsed.TotalMilliseconds / saves;
        }
        finally
        {
            await provider.DisposeAsync();
            SqliteConnection.ClearAllPools();
            foreach (var suffix in new[] { "", "-wal", "-shm" })
            {
                File.Delete(path + suffix);
            }
        }
    }
}
