using IntegrationBus.Processing;
using IntegrationBus.Storage;
using Microsoft.Extensions.Logging;

namespace IntegrationBus.Diagnostics;

/// <summary>
/// Caches the queues' figures (depth, lag, blocked, failed) for the observable metrics and the health checks, so that
/// neither reads the store on every collection: the figures are read at most once per
/// <see cref="IntegrationBusOptions.QueueFiguresInterval"/>, and only while someone asks for them.
/// </summary>
/// <remarks>
/// Observable instruments are collected synchronously, so they only ever read the cache; a stale cache asks the bus's
/// hosted loop for a refresh (<see cref="RefreshRequested"/>), which the next collection sees. Health checks await a
/// refresh when the figures are older than they accept.
/// </remarks>
internal sealed class QueueMonitor(Func<TaskStore> store, IntegrationBusOptions options, TimeProvider time, ILogger<QueueMonitor> logger) : IDisposable
{
    private readonly SemaphoreSlim _refreshing = new(1, 1);
    private QueueFigures? _figures;

    /// <summary>Gets the signal the hosted loop waits on to refresh the figures.</summary>
    public AsyncSignal RefreshRequested { get; } = new();

    /// <summary>Gets the last figures read, or <see langword="null"/> before the first read.</summary>
    public QueueFigures? Current => Volatile.Read(ref _figures);

    /// <summary>Asks for a refresh when the figures are older than the interval (or missing); never waits.</summary>
    public void RequestRefreshIfStale()
    {
        if (!IsFresh(Current, options.QueueFiguresInterval))
        {
            RefreshRequested.Set();
        }
    }

    /// <summary>Returns figures no older than <paramref name="maxAge"/>, reading the store (once, for concurrent callers) if needed.</summary>
    public async Task<QueueFigures> GetAsync(TimeSpan maxAge, CancellationToken cancellationToken)
    {
        if (Current is { } figures && IsFresh(figures, maxAge))
        {
            return figures;
        }

        await _refreshing.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (Current is { } read && IsFresh(read, maxAge))
            {
                return read;
            }

            var queues = await store().Management.GetQueuesAsync(cancellationToken).ConfigureAwait(false);
            var breakers = await store().Configuration.GetCircuitBreakersAsync(cancellationToken).ConfigureAwait(false);
            var fresh = new QueueFigures(queues, time.GetUtcNow(), breakers);
            Volatile.Write(ref _figures, fresh);
            DiagnosticsLog.QueueFiguresRefreshed(logger, queues.Count);
            return fresh;
        }
        finally
        {
            _refreshing.Release();
        }
    }

    public void Dispose() => _refreshing.Dispose();

    private bool IsFresh(QueueFigures? figures, TimeSpan maxAge) => figures is not null && time.GetUtcNow() - figures.ReadAt < maxAge;
}
