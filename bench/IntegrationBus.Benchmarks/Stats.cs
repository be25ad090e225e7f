using System.Globalization;

namespace IntegrationBus.Benchmarks;

/// <summary>What every suite shares: the options, the result table, the JSON figures and the median helpers.</summary>
internal sealed class BenchContext(bool quick, int runs)
{
    public bool Quick { get; } = quick;

    /// <summary>Counts are divided by this in --quick mode.</summary>
    public int Scale => Quick ? 10 : 1;

    public int Runs { get; } = runs;

    /// <summary>The store the core figures run on (<c>--store</c>).</summary>
    public BenchStore Store { get; init; } = BenchStore.Sqlite;

    public Report Table { get; } = new();

    public Dictionary<string, object> Json { get; } = [];

    /// <summary>One warm-up run, then <see cref="Runs"/> runs; prints them and returns the median.</summary>
    public async Task<double> MedianAsync(string name, Func<Task<double>> run, string unit = "/s", string format = "N0")
    {
        await run(); // warm-up
        var values = new List<double>();
        for (var i = 0; i < Runs; i++)
        {
            values.Add(await run());
        }

        var median = Median(values);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {name}: median {median.ToString(format, CultureInfo.InvariantCulture)}{unit}  (runs: {string.Join(", ", values.Select(v => v.ToString(format, CultureInfo.InvariantCulture)))})"));
        return median;
    }

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    public static double Percentile(List<double> sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];

    /// <summary>Runs <paramref name="count"/> calls on <paramref name="workers"/> concurrent callers; each call gets its index.</summary>
    public static Task RunConcurrentAsync(int count, int workers, Func<int, Task> call)
    {
        var next = -1;
        return Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                await call(i);
            }
        })));
    }
}
