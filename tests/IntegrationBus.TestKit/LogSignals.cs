using IntegrationBus.Diagnostics;
using Microsoft.Extensions.Logging;
using Xunit;

namespace IntegrationBus.TestKit;

/// <summary>
/// Turns the bus's log events into awaitable signals (a runner going idle, a lease renewed), so tests wait for what
/// happened instead of sleeping. Logging is the bus's own listener seam; no test hook lives in production code.
/// </summary>
public sealed class LogSignals : ILoggerProvider
{
    private readonly Lock _lock = new();
    private readonly List<(int EventId, Func<IReadOnlyDictionary<string, object?>, bool> Accept, TaskCompletionSource<IReadOnlyDictionary<string, object?>> Source)> _waiters = [];
    private readonly List<(int EventId, IReadOnlyDictionary<string, object?> State)> _seen = [];

    /// <summary>Gets every event seen so far with its structured values.</summary>
    public IReadOnlyList<(int EventId, IReadOnlyDictionary<string, object?> State)> Seen
    {
        get
        {
            lock (_lock)
            {
                return [.. _seen];
            }
        }
    }

    /// <summary>Completes with the structured values of the next event with that ID that <paramref name="accept"/> accepts.</summary>
    public Task<IReadOnlyDictionary<string, object?>> NextAsync(int eventId, Func<IReadOnlyDictionary<string, object?>, bool> accept, TimeSpan? timeout = null)
    {
        var source = new TaskCompletionSource<IReadOnlyDictionary<string, object?>>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            _waiters.Add((eventId, accept, source));
        }

        return source.Task.WaitAsync(timeout ?? TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
    }

    /// <summary>Completes with the wait of the next time the queue's runner goes idle for a wait that <paramref name="accept"/> accepts.</summary>
    public async Task<TimeSpan> NextRunnerWaitAsync(string connector, TaskDirection direction, Func<TimeSpan, bool> accept, TimeSpan? timeout = null)
    {
        var state = await NextAsync(
            EventIds.RunnerWaiting,
            s => Equals(s.GetValueOrDefault("ConnectorName"), connector) && Equals(s.GetValueOrDefault("Direction"), direction) && s.GetValueOrDefault("Wait") is TimeSpan wait && accept(wait),
            timeout);
        return (TimeSpan)state["Wait"]!;
    }

    /// <summary>Completes with the next event with that ID for the queue.</summary>
    public Task<IReadOnlyDictionary<string, object?>> NextQueueEventAsync(int eventId, string connector, TaskDirection direction, TimeSpan? timeout = null) =>
        NextAsync(eventId, s => Equals(s.GetValueOrDefault("ConnectorName"), connector) && Equals(s.GetValueOrDefault("Direction"), direction), timeout);

    /// <inheritdoc />
    public ILogger CreateLogger(string categoryName) => new Listener(this);

    /// <inheritdoc />
    public void Dispose()
    {
    }

    private void OnEvent(int eventId, IReadOnlyDictionary<string, object?> state)
    {
        lock (_lock)
        {
            _seen.Add((eventId, state));
            foreach (var waiter in _waiters.Where(w => w.EventId == eventId && w.Accept(state)).ToList())
            {
                waiter.Source.TrySetResult(state);
                _waiters.Remove(waiter);
            }
        }
    }

    private sealed class Listener(LogSignals owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (eventId.Id != 0 && state is IReadOnlyList<KeyValuePair<string, object?>> values)
            {
                var map = new Dictionary<string, object?>(StringComparer.Ordinal) { ["Exception"] = exception };
                foreach (var (key, value) in values)
                {
                    map[key] = value;
                }

                owner.OnEvent(eventId.Id, map);
            }
        }
    }
}
