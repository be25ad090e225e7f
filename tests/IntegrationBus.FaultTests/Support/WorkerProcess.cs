using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text;

namespace IntegrationBus.FaultTests.Support;

/// <summary>A child process running IntegrationBus.FaultTests.Worker; its stdout signals READY.</summary>
public sealed class WorkerProcess : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly StringBuilder _stderr = new();
    private readonly StringBuilder _stdout = new();
    private readonly Task _stdoutPump;
    private readonly Task _stderrPump;

    private WorkerProcess(Process process)
    {
        _process = process;
        _stdoutPump = PumpStdoutAsync();
        _stderrPump = PumpStderrAsync();
    }

    public string Name { get; private init; } = "";

    public bool HasExited => _process.HasExited;

    /// <summary>Gets the child's process ID (the PostgreSQL store's lease owners start with machine and process ID).</summary>
    public int ProcessId => _process.Id;

    private static string WorkerPath { get; } = typeof(WorkerProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "WorkerPath").Value!;

    /// <summary>Runs <c>seed</c> to completion.</summary>
    /// <param name="database">The SQLite file.</param>
    /// <param name="count">How many items to log.</param>
    /// <param name="keys">With a value above 0 the connector orders per object and item <c>id</c> has key <c>id % keys</c>.</param>
    public static async Task SeedAsync(string database, int count, int keys = 0)
    {
        await using var worker = Start("seed", ["seed", database, count.ToString(CultureInfo.InvariantCulture), keys.ToString(CultureInfo.InvariantCulture)]);
        await worker.WaitForExitAsync(expectClean: true);
    }

    /// <summary>Starts <c>drain</c> and returns once the child wrote READY.</summary>
    public static Task<WorkerProcess> StartDrainAsync(string database, string deliveryLog, string node, TimeSpan lease, TimeSpan sweep, int slowMs = 0, int perObject = 0) =>
        StartReadyAsync(node, [
            "drain", database, deliveryLog,
            "--lease", lease.ToString("c", CultureInfo.InvariantCulture),
            "--sweep", sweep.ToString("c", CultureInfo.InvariantCulture),
            "--slow-ms", slowMs.ToString(CultureInfo.InvariantCulture),
            "--node", node,
            "--per-object", perObject.ToString(CultureInfo.InvariantCulture),
        ]);

    /// <summary>Runs a command to a clean end (exit code 0); returns what it wrote to stdout.</summary>
    public static async Task<string> RunAsync(string name, IReadOnlyList<string> arguments)
    {
        await using var worker = Start(name, arguments);
        await worker.WaitForExitAsync(expectClean: true);
        return worker.Stdout;
    }

    /// <summary>Starts a long-running command and returns once the child wrote READY.</summary>
    public static async Task<WorkerProcess> StartReadyAsync(string node, IReadOnlyList<string> arguments)
    {
        var worker = Start(node, arguments);
        try
        {
            await Task.WhenAny(worker._ready.Task, worker._process.WaitForExitAsync(TestContext.Current.CancellationToken))
                .WaitAsync(Timeout, TestContext.Current.CancellationToken);
            if (!worker._ready.Task.IsCompleted)
            {
                throw new InvalidOperationException($"Worker {node} exited before READY: {worker.Stderr}");
            }
        }
        catch
        {
            await worker.DisposeAsync();
            throw;
        }

        return worker;
    }

    public string Stdout
    {
        get
        {
            lock (_stdout)
            {
                return _stdout.ToString();
            }
        }
    }

    public string Stderr
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    /// <summary>Kills the child with SIGKILL and waits for it to be gone.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: false);
        await _process.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(Timeout, TestContext.Current.CancellationToken);
    }

    /// <summary>Closes the child's stdin, which stops the bus cleanly, and waits for a clean exit.</summary>
    public async Task StopAsync()
    {
        _process.StandardInput.Close();
        await WaitForExitAsync(expectClean: true);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: false);
            await _process.WaitForExitAsync(CancellationToken.None);
        }

        await Task.WhenAll(_stdoutPump, _stderrPump);
        _process.Dispose();
    }

    private static WorkerProcess Start(string name, IReadOnlyList<string> arguments)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(WorkerPath);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return new WorkerProcess(Process.Start(start) ?? throw new InvalidOperationException("The worker did not start.")) { Name = name };
    }

    private async Task WaitForExitAsync(bool expectClean)
    {
        await _process.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(Timeout, TestContext.Current.CancellationToken);
        await Task.WhenAll(_stdoutPump, _stderrPump).WaitAsync(Timeout, TestContext.Current.CancellationToken);
        if (expectClean && _process.ExitCode != 0)
        {
            throw new InvalidOperationException($"Worker {Name} exited with {_process.ExitCode}: {Stderr}");
        }
    }

    private async Task PumpStdoutAsync()
    {
        while (await _process.StandardOutput.ReadLineAsync() is { } line)
        {
            lock (_stdout)
            {
                _stdout.AppendLine(line);
            }

            if (line == "READY")
            {
                _ready.TrySetResult();
            }
        }
    }

    private async Task PumpStderrAsync()
    {
        while (await _process.StandardError.ReadLineAsync() is { } line)
        {
            lock (_stderr)
            {
                _stderr.AppendLine(line);
            }
        }
    }
}
