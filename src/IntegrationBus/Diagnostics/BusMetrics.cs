using System.Diagnostics;
using System.Diagnostics.Metrics;
using IntegrationBus.Processing;
using IntegrationBus.Storage;

namespace IntegrationBus.Diagnostics;

/// <summary>
/// The bus's instruments, from one <see cref="Meter"/> named <see cref="IntegrationBusTelemetry.Name"/>: the OpenTelemetry
/// messaging conventions' client instruments, and the bus's own (<c>integrationbus.&lt;noun&gt;.&lt;verb&gt;</c> with tags
/// <c>connector</c>, <c>direction</c>, <c>result</c>).
/// </summary>
/// <remarks>Every recording checks <see cref="Instrument.Enabled"/> first, so an unobserved instrument costs a field read.</remarks>
internal sealed class BusMetrics : IDisposable
{
    /// <summary>The conventions' bucket boundaries for <c>messaging.process.duration</c> (seconds).</summary>
    private static readonly double[] DurationBuckets = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

    private readonly Meter _meter;
    private readonly QueueMonitor _monitor;
    private readonly Instrument[] _queueGauges;

    public BusMetrics(IMeterFactory? meterFactory, QueueMonitor monitor)
    {
        _monitor = monitor;
        var version = typeof(BusMetrics).Assembly.GetName().Version?.ToString(3);
        _meter = meterFactory?.Create(new MeterOptions(IntegrationBusTelemetry.Name) { Version = version }) ?? new Meter(IntegrationBusTelemetry.Name, version);
        var durationAdvice = new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets };
        SentMessages = _meter.CreateCounter<long>("messaging.client.sent.messages", "{message}", "Number of messages the application sent to the bus (tasks logged).");
        ConsumedMessages = _meter.CreateCounter<long>("messaging.client.consumed.messages", "{message}", "Number of messages the bus delivered to connectors or data handlers.");
        ProcessDuration = _meter.CreateHistogram("messaging.process.duration", "s", "Duration of a connector or data handler call.", advice: durationAdvice);
        TasksLogged = _meter.CreateCounter<long>("integrationbus.task.logged", "{task}", "Tasks logged, per connector and direction.");
        TasksProcessed = _meter.CreateCounter<long>("integrationbus.task.processed", "{task}", "Connector or data handler calls, per connector, direction and result.");
        TasksRetried = _meter.CreateCounter<long>("integrationbus.task.retried", "{task}", "Calls for tasks that had failed before (attempt 2 or later), per result.");
        TasksParked = _meter.CreateCounter<long>("integrationbus.task.parked", "{task}", "Tasks parked as failed after their last attempt, waiting for an operator.");
        LeaseChanges = _meter.CreateCounter<long>("integrationbus.lease.changed", "{change}", "Queue leases taken, lost, yielded or released by this node (tag 'change').");
        StoreDuration = _meter.CreateHistogram("integrationbus.store.duration", "s", "Duration of task store operations (tag 'operation').", advice: durationAdvice);
        _queueGauges =
        [
            _meter.CreateObservableGauge("integrationbus.queue.depth", ObserveDepth, "{task}", "Tasks still to deliver per queue (pending, in error or skipped), as last read."),
            _meter.CreateObservableGauge("integrationbus.queue.lag", ObserveLag, "s", "Age of the oldest task still to deliver per queue (0 when empty), as last read."),
            _meter.CreateObservableGauge("integrationbus.queue.blocked", ObserveBlocked, "{queue}", "1 when an error holds the queue, else 0, as last read."),
            _meter.CreateObservableGauge("integrationbus.queue.failed", ObserveFailed, "{task}", "Tasks parked as failed per queue, as last read."),
        ];
    }

    /// <summary>Gets a value indicating whether a listener collects the queue figures (then the hosted loop keeps them fresh).</summary>
    public bool QueueFiguresObserved => Array.Exists(_queueGauges, static gauge => gauge.Enabled);

    public Counter<long> SentMessages { get; }

    public Counter<long> ConsumedMessages { get; }

    public Histogram<double> ProcessDuration { get; }

    public Counter<long> TasksLogged { get; }

    public Counter<long> TasksProcessed { get; }

    public Counter<long> TasksRetried { get; }

    public Counter<long> TasksParked { get; }

    public Counter<long> LeaseChanges { get; }

    public Histogram<double> StoreDuration { get; }

    /// <summary>Counts tasks logged for a queue (both the conventions' sent messages and the bus's logged tasks).</summary>
    public void Logged(QueueRuntime queue, long count)
    {
        if (TasksLogged.Enabled)
        {
            TasksLogged.Add(count, queue.Tags);
        }

        if (SentMessages.Enabled)
        {
            SentMessages.Add(count, Messaging(queue, "create"));
        }
    }

    /// <summary>Records one call's result.</summary>
    public void Processed(QueueRuntime queue, QueuedTask task, TaskDecision decision, TimeSpan elapsed)
    {
        var result = ResultName(decision.ResultKind);
        if (TasksProcessed.Enabled)
        {
            TasksProcessed.Add(1, WithResult(queue, result));
        }

        if (task.Attempts > 0 && TasksRetried.Enabled)
        {
            TasksRetried.Add(1, WithResult(queue, result));
        }

        if (decision.Outcome is { Park: true } && TasksParked.Enabled)
        {
            TasksParked.Add(1, queue.Tags);
        }

        if (ConsumedMessages.Enabled)
        {
            ConsumedMessages.Add(1, Messaging(queue, "process"));
        }

        if (ProcessDuration.Enabled)
        {
            var tags = Messaging(queue, "process");
            if (decision.ResultKind is TaskResultKind.Error or TaskResultKind.ErrorAndSkip)
            {
                tags.Add(BusTracing.ErrorType, decision.Exception?.GetType().FullName ?? result);
            }

            ProcessDuration.Record(elapsed.TotalSeconds, tags);
        }
    }

    /// <summary>Counts a lease change of a queue: <c>taken</c>, <c>lost</c>, <c>yielded</c> or <c>released</c>.</summary>
    public void LeaseChanged(QueueRuntime queue, string change)
    {
        if (LeaseChanges.Enabled)
        {
            LeaseChanges.Add(1, new TagList { queue.Tags[0], queue.Tags[1], { "change", change } });
        }
    }

    /// <summary>Records how long a store operation took.</summary>
    public void StoreOperation(string operation, TimeSpan elapsed) => StoreDuration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("operation", operation));

    public void Dispose() => _meter.Dispose();

    /// <summary>The <c>result</c> tag of a result (no allocation per call).</summary>
    public static string ResultName(TaskResultKind kind) => kind switch
    {
        TaskResultKind.Ok => "Ok",
        TaskResultKind.Error => "Error",
        TaskResultKind.ErrorAndSkip => "ErrorAndSkip",
        TaskResultKind.SkipNow => "SkipNow",
        _ => kind.ToString(),
    };

    private static TagList WithResult(QueueRuntime queue, string result) => new() { queue.Tags[0], queue.Tags[1], { "result", result } };

    private static TagList Messaging(QueueRuntime queue, string operation) => new()
    {
        { BusTracing.MessagingSystem, IntegrationBusTelemetry.MessagingSystem },
        { BusTracing.OperationName, operation },
        { BusTracing.DestinationName, queue.DestinationName },
    };

    private static KeyValuePair<string, object?>[] Tags(QueueKey key) =>
        [new("connector", key.Connector), new("direction", QueueRuntime.DirectionName(key.Direction))];

    private IEnumerable<Measurement<long>> ObserveDepth() => Observe(static (_, q) => q.Depth);

    private IEnumerable<Measurement<double>> ObserveLag() => Observe(static (f, q) => f.LagOf(q).TotalSeconds);

    private IEnumerable<Measurement<int>> ObserveBlocked() => Observe(static (_, q) => q.Errors > 0 ? 1 : 0);

    private IEnumerable<Measurement<long>> ObserveFailed() => Observe(static (_, q) => q.Failed);

    private List<Measurement<T>> Observe<T>(Func<QueueFigures, QueueSummary, T> value)
        where T : struct
    {
        _monitor.RequestRefreshIfStale();
        if (_monitor.Current is not { } figures)
        {
            return [];
        }

        var measurements = new List<Measurement<T>>(figures.Queues.Count);
        foreach (var queue in figures.Queues)
        {
            measurements.Add(new Measurement<T>(value(figures, queue), Tags(queue.Queue)));
        }

        return measurements;
    }
}
