using IntegrationBus;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using IntegrationBus.Benchmarks;

// A plain console benchmark: warm-up, then the median of several runs per figure. See README.md.
var quick = args.Contains("--quick");
var suiteIndex = Array.IndexOf(args, "--suite");
var suite = suiteIndex >= 0 && suiteIndex + 1 < args.Length ? args[suiteIndex + 1].ToLowerInvariant() : "all";
string[] suites = ["core", "drain", "queuesize", "incoming", "efcore", "efapply", "telemetry", "management", "ordering", "all"];
if (!suites.Contains(suite))
{
    Console.Error.WriteLine($"Unknown --suite '{suite}': use one of {string.Join(", ", suites)}.");
    return 2;
}

var storeIndex = Array.IndexOf(args, "--store");
var storeName = storeIndex >= 0 && storeIndex + 1 < args.Length ? args[storeIndex + 1].ToLowerInvariant() : "sqlite";
BenchStore store;
if (storeName == "sqlite")
{
    store = BenchStore.Sqlite;
}
else if (storeName == "postgresql")
{
    var postgresIndex = Array.IndexOf(args, "--postgres");
    var connectionString = postgresIndex >= 0 && postgresIndex + 1 < args.Length ? args[postgresIndex + 1] : Environment.GetEnvironmentVariable("INTEGRATIONBUS_TEST_POSTGRES");
    if (string.IsNullOrWhiteSpace(connectionString))
    {
        Console.Error.WriteLine("--store postgresql needs a server: --postgres \"Host=…;Username=…\" or INTEGRATIONBUS_TEST_POSTGRES (source scripts/postgres-local.sh start).");
        return 2;
    }

    if (suite is not ("core" or "drain" or "queuesize" or "management" or "ordering" or "incoming"))
    {
        Console.Error.WriteLine("--store postgresql runs the store figures only: --suite core, drain, queuesize, management, ordering or incoming.");
        return 2;
    }

    store = new PostgreSqlBenchStore(connectionString);
}
else
{
    Console.Error.WriteLine($"Unknown --store '{storeName}': use sqlite or postgresql.");
    return 2;
}

const int Runs = 5;
var ctx = new BenchContext(quick, Runs) { Store = store };
var total = Stopwatch.StartNew();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"IntegrationBus benchmarks, suite {suite}, store {store.Name}{(quick ? " (--quick: counts / 10)" : "")}: .NET {Environment.Version}, {Environment.ProcessorCount} cores, {Runs} runs per figure (median), batch size {new IntegrationBusOptions().BatchSize}"));

if (suite is "core" or "all")
{
    await CoreSuite.RunAsync(ctx);
}

if (suite is "drain")
{
    await CoreSuite.RunDrainAsync(ctx);
}

if (suite is "queuesize")
{
    await CoreSuite.RunQueueSizeAsync(ctx);
}

if (suite is "telemetry")
{
    await TelemetrySuite.RunAsync(ctx);
}

if (suite is "management")
{
    await ManagementSuite.RunAsync(ctx);
}

if (suite is "incoming" or "all")
{
    await IncomingSuite.RunAsync(ctx);
}

if (suite is "efcore" or "all")
{
    await EfCoreSuite.RunAsync(ctx);
}

if (suite is "efapply" or "all")
{
    await EfApplySuite.RunAsync(ctx);
}

if (suite is "ordering" or "all")
{
    await OrderingSuite.RunAsync(ctx);
}

ctx.Table.Print();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Total time {total.Elapsed.TotalSeconds:F0} s"));

using var self = Process.GetCurrentProcess();
var json = new Dictionary<string, object>
{
    ["suite"] = suite,
    ["store"] = store.Name,
    ["quick"] = quick,
    ["runs"] = Runs,
    ["cores"] = Environment.ProcessorCount,
};
foreach (var (key, value) in ctx.Json)
{
    json[key] = value;
}

json["process_peak_working_set_mb"] = Math.Round(self.PeakWorkingSet64 / 1048576.0, 1);
json["pass"] = ctx.Table.Verdicts;
Console.WriteLine("RESULT " + JsonSerializer.Serialize(json));
return 0;
