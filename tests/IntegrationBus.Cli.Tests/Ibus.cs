using System.Diagnostics;
using System.Reflection;
using System.Text;
using System.Text.Json;

namespace IntegrationBus.Cli.Tests;

/// <summary>Runs the built <c>ibus</c> as a child process, the way an operator or a script does.</summary>
internal static class Ibus
{
    /// <summary>Gets the built tool (ibus.dll).</summary>
    public static string Path { get; } =
        typeof(Ibus).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "IbusPath").Value
        ?? throw new InvalidOperationException("The test assembly does not know where ibus.dll is.");

    /// <summary>Runs the tool with arguments; standard input is closed at once unless <paramref name="input"/> gives it text.</summary>
    public static async Task<IbusResult> RunAsync(string[] arguments, string? input = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        Assert.True(File.Exists(Path), $"The tool is not built at {Path}.");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        start.ArgumentList.Add(Path);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var name in new[] { "IBUS_SQLITE", "IBUS_POSTGRES", "IBUS_SCHEMA", "IBUS_URL", "IBUS_TOKEN" })
        {
            start.Environment.Remove(name);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        if (input is not null)
        {
            await process.StandardInput.WriteAsync(input);
        }

        process.StandardInput.Close();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        deadline.CancelAfter(TimeSpan.FromMinutes(1));
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"ibus {string.Join(' ', arguments)} did not finish within a minute.");
        }

        return new IbusResult(process.ExitCode, await output, await error);
    }

    /// <summary>Runs the tool and expects exit code 0.</summary>
    public static async Task<IbusResult> RunOkAsync(params string[] arguments)
    {
        var result = await RunAsync(arguments);
        Assert.True(result.ExitCode == 0, $"ibus {string.Join(' ', arguments)} exited {result.ExitCode}:\n{result.Error}\n{result.Output}");
        return result;
    }

    /// <summary>Runs the tool with <c>--json</c>, expects exit code 0 and parses standard output.</summary>
    public static async Task<JsonElement> JsonAsync(params string[] arguments)
    {
        var result = await RunOkAsync([.. arguments, "--json"]);
        using var document = JsonDocument.Parse(result.Output);
        return document.RootElement.Clone();
    }
}

/// <summary>What a run of the tool gave.</summary>
internal sealed record IbusResult(int ExitCode, string Output, string Error)
{
    /// <summary>Gets the lines of standard output.</summary>
    public IReadOnlyList<string> Lines => Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToList();
}
