using IntegrationBus.Diagnostics;
using IntegrationBus.Storage;
using Microsoft.Extensions.Logging;

namespace IntegrationBus.Processing;

/// <summary>
/// Holds a queue's lease for one run. A heartbeat renews it whenever two thirds of the lease duration are left (every
/// third of it), independent of batch boundaries and of how long a connector call takes; the run's token
/// (<see cref="Token"/>) is cancelled the moment the lease is lost, a renewal fails, the local deadline passes, or the
/// bus stops.
/// </summary>
/// <remarks>
/// The local deadline is counted from the moment the acquiring or renewing request was sent, so it never ends later
/// than the store's own expiry, whichever clock the store judges by (<see cref="LeaseStore.UsesStoreClock"/>).
/// </remarks>
internal sealed class LeaseKeeper : IAsyncDisposable
{
    private readonly QueueRuntime _queue;
    private readonly LeaseStore _leases;
    private readonly TimeSpan _duration;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly BusMetrics _metrics;
    private readonly CancellationTokenSource _deadline;
    private readonly CancellationTokenSource _lost = new();
    private readonly CancellationTokenSource _run;
    private readonly CancellationTokenSource _heartbeatStop = new();
    private readonly Task _heartbeat;
    private HeldLease _held;

    private LeaseKeeper(QueueRuntime queue, HeldLease held, LeaseStore leases, TimeSpan duration, TimeProvider time, ILogger logger, BusMetrics metrics, CancellationToken stoppingToken)
    {
        _metrics = metrics;
        _queue = queue;
        _held = held;
        _leases = leases;
        _duration = duration;
        _time = time;
        _logger = logger;
        _deadline = new CancellationTokenSource(Remaining(held), time);
        _deadline.Token.Register(OnDeadline);
        _run = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, _deadline.Token, _lost.Token);
        _heartbeat = HeartbeatAsync();
    }

    /// <summary>Gets the token of the run: cancelled when the lease is lost or expires locally, or when the bus stops.</summary>
    public CancellationToken Token => _run.Token;

    /// <summary>Gets the lease the run's results are recorded under.</summary>
    public QueueLease Lease => Volatile.Read(ref _held).Lease;

    /// <summary>Gets a value indicating whether the store asked for the lease back: the run ends at the next batch boundary and releases it.</summary>
    public bool YieldRequested => Volatile.Read(ref _held).Lease.YieldRequested;

    /// <summary>Gets a value indicating whether the lease is lost (or its local deadline passed): the run must stop.</summary>
    public bool IsLost => _lost.IsCancellationRequested || _deadline.IsCancellationRequested;

    /// <summary>Releases the queue's lease, if this node still holds it (the runner stops or hands the queue over).</summary>
    public static async Task ReleaseAsync(QueueRuntime queue, RunnerContext context)
    {
        if (queue.HeldLease is not { } held || held.ValidUntil <= context.Time.GetUtcNow())
        {
            return;
        }

        queue.HeldLease = null;
        try
        {
            using var timeout = new CancellationTokenSource(context.Options.ShutdownTimeout, context.Time);
            await context.Store.Leases.ReleaseAsync(held.Lease, timeout.Token).ConfigureAwait(false);
            context.Metrics.LeaseChanged(queue, "released");
        }
        catch (ObjectDisposedException)
        {
            // The application disposed the store without stopping the bus first: the lease expires by itself.
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            Log.LeaseReleaseFailed(context.Logger, queue.Connector.Name, queue.Direction, exception);
        }
    }

    /// <summary>Takes (or keeps) the queue's lease for a run.</summary>
    /// <returns>The keeper, or <see langword="null"/> when another owner holds the lease.</returns>
    public static async Task<LeaseKeeper?> TakeAsync(QueueRuntime queue, RunnerContext context, CancellationToken stoppingToken)
    {
        var (leases, owner, duration, time, logger) = (context.Store.Leases, context.Owner, context.Options.LeaseDuration, context.Time, context.Logger);
        var held = queue.HeldLease;
        var now = time.GetUtcNow();
        if (held is null || held.ValidUntil - now <= duration / 2)
        {
            // Renew what this runner still holds (keeping its token); otherwise take it anew.
            var renewed = held is not null && held.ValidUntil > now
                ? await leases.RenewAsync(held.Lease, duration, now, stoppingToken).ConfigureAwait(false)
                : null;
            var lease = renewed ?? await leases.TryAcquireAsync(new LeaseRequest { Queue = queue.PartitionKey, Owner = owner, Duration = duration, Now = now }, stoppingToken).ConfigureAwait(false);
            if (lease is null)
            {
                queue.HeldLease = null;
                return null;
            }

            if (renewed is null)
            {
                Log.LeaseTaken(logger, queue.Connector.Name, queue.Direction, owner, lease.Token);
                context.Metrics.LeaseChanged(queue, "taken");
            }

            held = new HeldLease(lease, now + duration);
            queue.HeldLease = held;
        }

        return new LeaseKeeper(queue, held, leases, duration, time, logger, context.Metrics, stoppingToken);
    }

    /// <summary>Marks the lease lost (the store refused results under it): the run stops, and the next run takes the lease anew.</summary>
    public void MarkLost(string reason)
    {
        if (!_lost.IsCancellationRequested)
        {
            Log.LeaseLost(_logger, _queue.Connector.Name, _queue.Direction, Lease.Token, reason, null);
            _metrics.LeaseChanged(_queue, "lost");
            _queue.HeldLease = null;
            _lost.Cancel();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _heartbeatStop.CancelAsync().ConfigureAwait(false);
        await _heartbeat.ConfigureAwait(false);
        _run.Dispose();
        _deadline.Dispose();
        _lost.Dispose();
        _heartbeatStop.Dispose();
    }

    private TimeSpan Remaining(HeldLease held)
    {
        var remaining = held.ValidUntil - _time.GetUtcNow();
        return remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero;
    }

    private async Task HeartbeatAsync()
    {
        var interval = _duration / 3;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(_heartbeatStop.Token, _run.Token);
        try
        {
            while (true)
            {
                // Renew once two thirds of the lease are left, so every renewal has that long to finish before the local
                // deadline: a run may begin on a lease that is half spent, where a fixed interval would leave it a sixth.
                var due = Remaining(Volatile.Read(ref _held)) - (_duration - interval);
                await Task.Delay(due > TimeSpan.Zero ? due : TimeSpan.Zero, _time, stop.Token).ConfigureAwait(false);
                var now = _time.GetUtcNow();
                var held = Volatile.Read(ref _held);
                QueueLease? renewed;
                try
                {
                    // A renewal that cannot finish before the local deadline is as good as lost.
                    using var timeout = new CancellationTokenSource(Remaining(held), _time);
                    using var linked = CancellationTokenSource.CreateLinkedTokenSource(stop.Token, timeout.Token);
                    renewed = await _leases.RenewAsync(held.Lease, _duration, now, linked.Token).ConfigureAwait(false);
                }
                catch (Exception exception) when (!stop.IsCancellationRequested)
                {
                    Lose("the renewal failed", exception);
                    return;
                }

                if (renewed is null)
                {
                    Lose("another owner took it", null);
                    return;
                }

                Log.LeaseRenewed(_logger, _queue.Connector.Name, _queue.Direction, renewed.Token, renewed.ExpiresAt);
                var next = new HeldLease(renewed, now + _duration);
                Volatile.Write(ref _held, next);
                _queue.HeldLease = next;
                _deadline.CancelAfter(Remaining(next));
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The run ended (or the bus stops): the lease stays held until it expires or the next run renews it.
        }
    }

    private void OnDeadline()
    {
        if (!_lost.IsCancellationRequested)
        {
            Log.LeaseLost(_logger, _queue.Connector.Name, _queue.Direction, Lease.Token, "it was not renewed before it ran out", null);
            _metrics.LeaseChanged(_queue, "lost");
        }
    }

    private void Lose(string reason, Exception? exception)
    {
        Log.LeaseLost(_logger, _queue.Connector.Name, _queue.Direction, Lease.Token, reason, exception);
        _metrics.LeaseChanged(_queue, "lost");
        _queue.HeldLease = null;
        _lost.Cancel();
    }
}
