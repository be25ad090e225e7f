using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace IntegrationBus.Tests.Diagnostics;

/// <summary>Collects the measurements of one bus's meter (the one its <see cref="IMeterFactory"/> made), so parallel tests do not mix.</summary>
public sealed class MetricCollector : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<(string Instrument, double Value, Dictionary<string, object?> Tags)> _measurements = new();

    public MetricCollector(IMeterFactory scope)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == IntegrationBusTelemetry.Name && ReferenceEquals(instrument.Meter.Scope, scope))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((i, v, t, _) => Add(i, v, t));
        _listener.SetMeasurementEventCallback<int>((i, v, t, _) => Add(i, v, t));
        _listener.SetMeasurementEventCallback<double>((i, v, t, _) => Add(i, v, t));
        _listener.Start();
    }

    /// <summary>Sums a counter's measurements whose tags include every given tag.</summary>
    public double Sum(string instrument, params (string Key, string Value)[] tags) =>
        _measurements.Where(m => m.Instrument == instrument && tags.All(t => Equals(m.Tags.GetValueOrDefault(t.Key), t.Value))).Sum(m => m.Value);

    /// <summary>Collects the observable instruments now and returns the last value of one for a queue.</summary>
    public double? Observe(string instrument, string connector, string direction = "outgoing")
    {
        _measurements.Clear();
        _listener.RecordObservableInstruments();
        return _measurements
            .Where(m => m.Instrument == instrument && Equals(m.Tags.GetValueOrDefault("connector"), connector) && Equals(m.Tags.GetValueOrDefault("direction"), direction))
            .Select(m => (double?)m.Value)
            .LastOrDefault();
    }

    public void Dispose() => _listener.Dispose();

    private void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var copy = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var tag in tags)
        {
            copy[tag.Key] = tag.Value;
        }

        _measurements.Enqueue((instrument.Name, value, copy));
    }
}
