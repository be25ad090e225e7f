using System.Globalization;

namespace IntegrationBus.Demo.Scenario;

/// <summary>One connector's result: changes made, distinct deliveries, changes that never arrived, deliveries out of order per object.</summary>
public sealed record ConnectorSummary(string Connector, int Changes, int Delivered, int Lost, int OrderViolations)
{
    public bool IsClean => Lost == 0 && OrderViolations == 0;

    public static ConnectorSummary Compute(string connector, IReadOnlyList<(string ObjectKey, long Sequence)> made, IReadOnlyList<Delivery> received)
    {
        var arrived = received.Select(d => (d.ObjectKey, d.Sequence)).ToHashSet();
        var lost = made.Count(change => !arrived.Contains(change));
        var violations = received
            .GroupBy(d => d.ObjectKey)
            .Sum(g => g.Zip(g.Skip(1)).Count(pair => pair.Second.Sequence < pair.First.Sequence));
        return new ConnectorSummary(connector, made.Count, received.Count, lost, violations);
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Connector}: changes {Changes}, delivered {Delivered}, lost {Lost}, order violations {OrderViolations}");
}
