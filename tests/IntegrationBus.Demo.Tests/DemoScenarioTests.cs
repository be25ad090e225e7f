using System.Diagnostics;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;

namespace IntegrationBus.Demo.Tests;

/// <summary>Runs <c>IntegrationBus.Demo --scenario</c> as a real child process on free ports and a temp data directory.</summary>
[Collection(DemoProcesses.Name)]
public sealed partial class DemoScenarioTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    private static string DemoPath { get; } = typeof(DemoScenarioTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "DemoPath").Value!;

    [Fact]
    public async Task Scenario_RunsToTheEnd_EveryConnectorLosesNothingAndKeepsOrder()
    {
        var output = await RunScenarioAsync([]);
        Assert.Contains("Database:    SQLite file", output, StringComparison.Ordinal);
        Assert.Matches(@"Dashboard:   http://127\.0\.0\.1:\d+/integration/admin/ \(sign in as admin / \w{12} to operate, viewer / \w{12} to look\)", output);
        Assert.Matches(@"ibus:        ibus --url http://127\.0\.0\.1:\d+/integration/admin --token \w{32} status", output);
    }

    /// <summary>The README's switch: the same scenario with the content app and the bus on PostgreSQL (<c>--postgresql</c>).</summary>
    [Fact]
    public async Task Scenario_OnPostgreSql_EveryConnectorLosesNothingAndKeepsOrder()
    {
        var connectionString = Environment.GetEnvironmentVariable("INTEGRATIONBUS_TEST_POSTGRES");
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            Assert.False(
                string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase),
                "INTEGRATIONBUS_TEST_POSTGRES is not set, but CI=true: .ci/run must start PostgreSQL and set it.");
            Assert.Skip("No PostgreSQL server: set INTEGRATIONBUS_TEST_POSTGRES (scripts/postgres-local.sh start does) to run the demo on PostgreSQL.");
        }

        var output = await RunScenarioAsync(["--postgresql", connectionString]);
        Assert.Contains("Database:    PostgreSQL", output, StringComparison.Ordinal);
    }

    /// <summary>Runs the scenario on free ports and a temp data directory and checks its summary lines; returns the output.</summary>
    private static async Task<string> RunScenarioAsync(IReadOnlyList<string> options)
    {
        var data = Path.Combine(Path.GetTempPath(), $"ibus-demo-test-{Guid.NewGuid():N}");
        try
        {
            var (exitCode, output) = await RunDemoAsync(["--scenario", "--urls", "http://127.0.0.1:0", "--crm-urls", "http://127.0.0.1:0", "--data", data, .. options]);

            Assert.True(exitCode == 0, $"The demo exited with {exitCode}:\n{output}");
            var summaries = SummaryLine().Matches(output).ToDictionary(m => m.Groups["connector"].Value, m => m);
            Assert.Equal(["audit", "crm", "crm-polls", "crm-users", "search"], summaries.Keys.Order(StringComparer.Ordinal));
            foreach (var (connector, line) in summaries)
            {
                Assert.True(line.Groups["lost"].Value == "0" && line.Groups["order"].Value == "0", $"{connector}: {line.Value}");
                Assert.True(int.Parse(line.Groups["changes"].Value, System.Globalization.CultureInfo.InvariantCulture) > 0, $"{connector} saw no changes: {line.Value}");
            }

            Assert.True(int.Parse(summaries["crm"].Groups["delivered"].Value, System.Globalization.CultureInfo.InvariantCulture) >= 1, summaries["crm"].Value);
            return output;
        }
        finally
        {
            if (Directory.Exists(data))
            {
                Directory.Delete(data, recursive: true);
            }
        }
    }

    private static async Task<(int ExitCode, string Output)> RunDemoAsync(IReadOnlyList<string> arguments)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(DemoPath);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("The demo did not start.");
        var output = new StringBuilder();
        var stdout = PumpAsync(process.StandardOutput, output);
        var stderr = PumpAsync(process.StandardError, output);
        try
        {
            await process.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(Timeout, TestContext.Current.CancellationToken);
            await Task.WhenAll(stdout, stderr).WaitAsync(Timeout, TestContext.Current.CancellationToken);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }

        lock (output)
        {
            return (process.ExitCode, output.ToString());
        }
    }

    private static async Task PumpAsync(StreamReader reader, StringBuilder output)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            lock (output)
            {
                output.AppendLine(line);
            }
        }
    }

    [GeneratedRegex(@"^(?<connector>[\w.-]+): changes (?<changes>\d+), delivered (?<delivered>\d+), lost (?<lost>\d+), order violations (?<order>\d+)\r?$", RegexOptions.Multiline)]
    private static partial Regex SummaryLine();
}
