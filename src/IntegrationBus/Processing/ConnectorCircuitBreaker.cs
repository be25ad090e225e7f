using IntegrationBus.Storage;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.CircuitBreaker;

namespace IntegrationBus.Processing;

/// <summary>
/// The circuit breaker of one connector's outgoing queue: Polly's circuit breaker around the connector call, its state
/// changes logged and stored (so every node sees them), and a stored open breaker honoured by a node that takes the
/// queue over.
/// </summary>
/// <remarks>
/// <para>
/// Polly decides on this node: it counts failures (<see cref="IsFailure"/>), opens, lets one call probe after the break
/// and closes or re-opens. The runner asks <see cref="PausedUntil"/> before it takes the lease or calls, so an open
/// breaker pauses the queue until its end (the runner's due time) without a call or a recorded attempt.
/// </para>
/// <para>
/// Polly's state cannot be loaded, so a node that takes the queue over while the stored breaker is open (another node
/// opened it) holds the queue until the stored end and then lets one task probe: success closes the breaker, failure
/// opens it for another break. Used by the queue's one runner at a time (not thread-safe).
/// </para>
/// </remarks>
internal sealed class ConnectorCircuitBreaker
{
    private readonly string _connector;
    private readonly TimeSpan _breakDuration;
    private readonly ConfigurationStore _store;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CircuitBreakerStateProvider _polly = new();
    private readonly ResiliencePipeline<CallOutcome> _pipeline;
    private CircuitBreakerStatus _status;
    private DateTimeOffset? _openedAt;
    private DateTimeOffset? _openUntil;
    private string? _reason;
    private DateTimeOffset? _adoptedUntil;
    private bool _adoptedProbe;
    private CircuitBreakerState? _unstored;

    // Guards the fields above: under per-object ordering several calls of the connector run (and finish) at once.
    private readonly Lock _gate = new();

    public ConnectorCircuitBreaker(string connector, CircuitBreakerOptions options, ConfigurationStore store, TimeProvider time, ILogger logger)
    {
        _connector = connector;
        _breakDuration = options.BreakDuration;
        _store = store;
        _time = time;
        _logger = logger;
        _pipeline = new ResiliencePipelineBuilder<CallOutcome> { TimeProvider = time }
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions<CallOutcome>
            {
                FailureRatio = options.FailureRatio,
                MinimumThroughput = options.MinimumThroughput,
                SamplingDuration = options.SamplingDuration,
                BreakDuration = options.BreakDuration,
                StateProvider = _polly,

                // A cancelled call (the bus stops, the lease is lost) counts as a failure, so it never closes a probing breaker.
                ShouldHandle = static args => ValueTask.FromResult(args.Outcome.Exception is not null || IsFailure(args.Outcome.Result)),
                OnOpened = args =>
                {
                    Open(args.Outcome.Exception?.Message ?? args.Outcome.Result.Result?.Message, args.BreakDuration);
                    return default;
                },
                OnHalfOpened = _ =>
                {
                    HalfOpen();
                    return default;
                },
                OnClosed = _ =>
                {
                    Close();
                    return default;
                },
            })
            .Build();
    }

    /// <summary>Gets the breaker's state as this node knows it.</summary>
    public CircuitBreakerStatus Status => _status;

    /// <summary>Whether a call's outcome counts as a failure: Error and ErrorAndSkip do; Ok and SkipNow do not.</summary>
    public static bool IsFailure(CallOutcome outcome) => outcome.Result?.Kind is TaskResultKind.Error or TaskResultKind.ErrorAndSkip;

    /// <summary>Gets until when the queue pauses, or <see langword="null"/> when a call may go (closed, or a probe is due).</summary>
    public DateTimeOffset? PausedUntil(DateTimeOffset now)
    {
        lock (_gate)
        {
            var until = _adoptedUntil;
            if (_polly.CircuitState is CircuitState.Open or CircuitState.Isolated && _openUntil is { } open && (until is null || open > until))
            {
                until = open;
            }

            return until > now ? until : null;
        }
    }

    /// <summary>
    /// Reads the stored state when this node takes the queue's lease anew: while this node's own breaker is closed, a
    /// stored open (or half-open) breaker is honoured until its end, and the next call is a probe.
    /// </summary>
    public async Task AdoptAsync(CancellationToken cancellationToken)
    {
        await FlushAsync(cancellationToken).ConfigureAwait(false);
        if (_polly.CircuitState != CircuitState.Closed)
        {
            // This node's own breaker is open or probing: it knows best (it stored that state itself).
            return;
        }

        CircuitBreakerState? stored;
        try
        {
            var states = await _store.GetCircuitBreakersAsync(cancellationToken).ConfigureAwait(false);
            stored = states.FirstOrDefault(s => string.Equals(s.Connector, _connector, StringComparison.OrdinalIgnoreCase));
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            CircuitBreakerLog.StateNotRead(_logger, _connector, exception);
            return;
        }

        var now = _time.GetUtcNow();
        var until = stored is { Status: CircuitBreakerStatus.Open, OpenUntil: { } end } && end > now ? end : now;
        lock (_gate)
        {
            if (stored is null || stored.Status == CircuitBreakerStatus.Closed)
            {
                (_status, _adoptedUntil, _adoptedProbe, _openUntil) = (CircuitBreakerStatus.Closed, null, false, null);
                return;
            }

            (_status, _openedAt, _openUntil, _reason, _adoptedUntil, _adoptedProbe) = (stored.Status, stored.OpenedAt, stored.OpenUntil, stored.Reason, until, true);
        }

        CircuitBreakerLog.Adopted(_logger, _connector, stored.Status, stored.OpenedAt, until);
    }

    /// <summary>Makes a connector call through the breaker.</summary>
    /// <returns>The call's outcome, or <see langword="null"/> with the time the queue may go on when the breaker refused the call.</returns>
    public async Task<(CallOutcome? Outcome, DateTimeOffset ResumeAt)> ExecuteAsync(Func<CancellationToken, Task<CallOutcome>> call, CancellationToken runToken)
    {
        bool probing;
        lock (_gate)
        {
            probing = _adoptedProbe && _polly.CircuitState == CircuitState.Closed;
            if (probing)
            {
                HalfOpen();
            }
        }

        CallOutcome outcome;
        try
        {
            outcome = await _pipeline.ExecuteAsync(static async (call, token) => await call(token).ConfigureAwait(false), call, runToken).ConfigureAwait(false);
        }
        catch (BrokenCircuitException exception)
        {
            var now = _time.GetUtcNow();
            return (null, PausedUntil(now) ?? now + (exception.RetryAfter ?? _breakDuration));
        }

        if (probing)
        {
            ProbeDone(outcome);
        }

        await FlushAsync(runToken).ConfigureAwait(false);
        return (outcome, default);
    }

    private void ProbeDone(CallOutcome outcome)
    {
        lock (_gate)
        {
            // The probe of a breaker another node opened: Polly counted it too (and may have opened on its own).
            (_adoptedProbe, _adoptedUntil) = (false, null);
            if (_polly.CircuitState == CircuitState.Closed)
            {
                if (IsFailure(outcome))
                {
                    Open(outcome.Result.Message, _breakDuration);
                    (_adoptedProbe, _adoptedUntil) = (true, _openUntil);
                }
                else
                {
                    Close();
                }
            }
        }
    }

    private void Open(string? reason, TimeSpan breakDuration)
    {
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            (_status, _openedAt, _openUntil, _reason) = (CircuitBreakerStatus.Open, now, now + breakDuration, reason);
            CircuitBreakerLog.Opened(_logger, _connector, reason, now + breakDuration);
            Changed(now);
        }
    }

    private void HalfOpen()
    {
        lock (_gate)
        {
            _status = CircuitBreakerStatus.HalfOpen;
            CircuitBreakerLog.HalfOpened(_logger, _connector);
            Changed(_time.GetUtcNow());
        }
    }

    private void Close()
    {
        lock (_gate)
        {
            (_status, _openUntil, _adoptedUntil, _adoptedProbe) = (CircuitBreakerStatus.Closed, null, null, false);
            CircuitBreakerLog.Closed(_logger, _connector);
            Changed(_time.GetUtcNow());
        }
    }

    private void Changed(DateTimeOffset now) => _unstored = new CircuitBreakerState
    {
        Connector = _connector,
        Status = _status,
        ChangedAt = now,
        OpenedAt = _openedAt,
        OpenUntil = _status == CircuitBreakerStatus.Open ? _openUntil : null,
        Reason = _reason,
    };

    /// <summary>Stores the last change, if one is not stored yet; a store error is logged and the change kept for the next try.</summary>
    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (_unstored is not { } state)
        {
            return;
        }

        try
        {
            await _store.SetCircuitBreakerAsync(state, cancellationToken).ConfigureAwait(false);
            if (ReferenceEquals(_unstored, state))
            {
                _unstored = null;
            }
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            // The call's result is recorded all the same; the state is stored with the next change or run.
            if (!cancellationToken.IsCancellationRequested)
            {
                CircuitBreakerLog.StateNotStored(_logger, _connector, state.Status, exception);
            }
        }
    }
}
