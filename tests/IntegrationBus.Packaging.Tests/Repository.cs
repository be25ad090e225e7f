using System.Diagnostics;
using System.Reflection;
using System.Text;
using System.Xml.Linq;

namespace IntegrationBus.Packaging.Tests;

/// <summary>The repository the tests were built from, and a way to run the .NET CLI in it.</summary>
internal static class Repository
{
    public static string Root { get; } = Metadata("RepositoryRoot");

    public static string Configuration { get; } = Metadata("Configuration");

    /// <summary>Gets the package projects: every project under src/.</summary>
    public static IReadOnlyList<string> PackageIds { get; } =
        [.. Directory.GetDirectories(Path.Combine(Root, "src")).Where(d => Directory.GetFiles(d, "*.csproj").Length == 1).Select(Path.GetFileName).Order(StringComparer.Ordinal)!];

    /// <summary>Gets the packages that are .NET tools (<c>PackAsTool</c>): they carry their dependencies under tools/.</summary>
    public static IReadOnlyList<string> ToolPackageIds { get; } =
        [.. PackageIds.Where(id => XDocument.Load(Path.Combine(Root, "src", id, $"{id}.csproj")).Descendants("PackAsTool").Any(e => e.Value == "true"))];

    /// <summary>Gets the library packages: every package that is not a tool.</summary>
    public static IReadOnlyList<string> LibraryPackageIds { get; } = [.. PackageIds.Except(ToolPackageIds)];

    /// <summary>Gets a property of Directory.Build.props or Directory.Packages.props as written there.</summary>
    public static string Property(string file, string name) =>
        XDocument.Load(Path.Combine(Root, file)).Descendants(name).Select(e => e.Value).FirstOrDefault(v => v.Length > 0)
        ?? throw new InvalidOperationException($"{file} sets no {name}.");

    /// <summary>Runs <c>dotnet</c> with the arguments and returns its exit code and everything it printed.</summary>
    public static Task<(int ExitCode, string Output)> DotnetAsync(string workingDirectory, TimeSpan timeout, params string[] arguments)
        => RunAsync("dotnet", workingDirectory, timeout, arguments);

    /// <summary>Runs a program with the arguments and returns its exit code and everything it printed.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string program, string workingDirectory, TimeSpan timeout, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        var output = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', arguments)} did not finish within {timeout}:\n{Read()}");
        }

        return (process.ExitCode, Read());

        void Append(string? line)
        {
            if (line is not null)
            {
                lock (output)
                {
                    output.AppendLine(line);
                }
            }
        }

        string Read()
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

    private static string Metadata(string key) =>
        typeof(Repository).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value
        ?? throw new InvalidOperationException($"The test assembly has no {key}.");
}
