using System.Diagnostics;

namespace IntegrationBus.Benchmarks;

/// <summary>Samples the process working set every 50 ms while it runs.</summary>
internal sealed class MemorySampler : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private Task<(double StartMb, double PeakMb)>? _sampling;

    public void Start() => _sampling = SampleAsync(_stop.Token);

    public async Task<(double StartMb, double PeakMb)> StopAsync()
    {
        await _stop.CancelAsync();
        return _sampling is null ? (0, 0) : await _sampling;
    }

    public void Dispose() => _stop.Dispose();

    private static async Task<(double StartMb, double PeakMb)> SampleAsync(CancellationToken stop)
    {
        using var process = Process.GetCurrentProcess();
        var start = process.WorkingSet64;
        var peak = start;
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                process.Refresh();
                peak = Math.Max(peak, process.WorkingSet64);
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }

        process.Refresh();
        peak = Math.Max(peak, process.WorkingSet64);
        return (start / 1048576.0, peak / 1048576.0);
    }
}
