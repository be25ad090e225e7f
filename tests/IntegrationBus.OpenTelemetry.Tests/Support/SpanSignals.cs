using System.Diagnostics;
using OpenTelemetry;

namespace IntegrationBus.OpenTelemetry.Tests.Support;

/// <summary>An OpenTelemetry processor (added after the in-memory exporter) that lets a test await an ended span.</summary>
public sealed class SpanSignals : BaseProcessor<Activity>
{
    private readonly Lock _lock = new();
    private readonly List<Activity> _ended = [];
    private readonly List<(Func<Activity, bool> Accept, TaskCompletionSource<Activity> Source)> _waiters = [];

    /// <summary>Completes with the first ended span (past or future) that <paramref name="accept"/> accepts.</summary>
    public Task<Activity> WaitAsync(Func<Activity, bool> accept)
    {
        var source = new TaskCompletionSource<Activity>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            if (_ended.FirstOrDefault(accept) is { } seen)
            {
                return Task.FromResult(seen);
            }

            _waiters.Add((accept, source));
        }

        return source.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
    }

    public override void OnEnd(Activity data)
    {
        lock (_lock)
        {
            _ended.Add(data);
            foreach (var waiter in _waiters.Where(w => w.Accept(data)).ToList())
            {
                waiter.Source.TrySetResult(data);
                _waiters.Remove(waiter);
            }
        }
    }
}
