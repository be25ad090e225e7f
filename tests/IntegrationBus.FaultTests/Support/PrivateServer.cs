using System.Diagnostics;
using System.Reflection;

namespace IntegrationBus.FaultTests.Support;

/// <summary>
/// A PostgreSQL server of the drill's own, started with <c>scripts/postgres-local.sh</c> (initdb and pg_ctl on PATH; as
/// the postgres user when run as root), for drills that restart the server: restarting the shared one would cut the
/// connections of the other test projects running beside the drills.
/// </summary>
public sealed class PrivateServer : IAsyncDisposable
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(90);

    private PrivateServer(string connectionString, string folder)
    {
        ConnectionString = connectionString;
        Folder = folder;
    }

    public string ConnectionString { get; }

    public string Folder { get; }

    private static string Script { get; } = Path.Combine(
        typeof(PrivateServer).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepositoryRoot").Value!,
        "scripts", "postgres-local.sh");

    /// <summary>Starts a server; skips the drill when PostgreSQL's server programs are missing (fails it when <c>CI=true</c>).</summary>
    public static async Task<PrivateServer> StartAsync()
    {
        if (!OnPath("initdb") || !OnPath("pg_ctl"))
        {
            Assert.False(
                string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase),
                "initdb and pg_ctl are not on PATH, but CI=true: the restart drill needs them to run a server of its own.");
            Assert.Skip("The restart drill restarts a PostgreSQL server of its own and needs initdb and pg_ctl (PostgreSQL 15 or later) on PATH.");
        }

        var (exitCode, stdout, stderr) = await RunAsync("bash", "-c", "source \"$0\" start >&2 && printf '%s\\n%s\\n' \"$INTEGRATIONBUS_TEST_POSTGRES\" \"$PG_LOCAL_DIR\"", Script);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(exitCode == 0 && lines.Length == 2, $"scripts/postgres-local.sh start failed ({exitCode}): {stdout}{stderr}");
        return new PrivateServer(lines[0], lines[1]);
    }

    /// <summary>Restarts the server with <c>pg_ctl restart -m fast</c>: every connection is cut, the server comes back on the same port.</summary>
    public async Task RestartFastAsync()
    {
        var data = Path.Combine(Folder, "data");
        var log = Path.Combine(Folder, "server.log");
        var (exitCode, stdout, stderr) = Environment.UserName == "root"
            ? await RunAsync("runuser", "-u", "postgres", "--", "pg_ctl", "-D", data, "-l", log, "-m", "fast", "-w", "-t", "60", "restart")
            : await RunAsync("pg_ctl", "-D", data, "-l", log, "-m", "fast", "-w", "-t", "60", "restart");
        Assert.True(exitCode == 0, $"pg_ctl restart failed ({exitCode}): {stdout}{stderr}");
    }

    public async ValueTask DisposeAsync() => await RunAsync("bash", Script, "stop", Folder);

    private static bool OnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Any(d => File.Exists(Path.Combine(d, program)));

    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        await process.WaitForExitAsync(CancellationToken.None).WaitAsync(CommandTimeout, CancellationToken.None);
        return (process.ExitCode, await stdout, await stderr);
    }
}
