using IntegrationBus.Model;

namespace IntegrationBus.Outgoing;

/// <summary>A matched change waiting in a scope: one future task row (one change, one data type).</summary>
internal sealed record PendingChange(
    Guid TaskGuid,
    BusObject Object,
    TaskType TaskType,
    DataType DataType,
    string[] Connectors,
    int[] ConnectorIndexes,
    DateTimeOffset CreatedAt);
