using IntegrationBus.Diagnostics;

namespace IntegrationBus;

/// <summary>A matched change waiting to be written: one future task row (one change, one data type).</summary>
internal sealed record PendingChange(
    Guid TaskGuid,
    BusObject Object,
    TaskType TaskType,
    DataType DataType,
    ConnectorRuntime[] Connectors,
    DateTimeOffset CreatedAt,
    TraceContext Trace);
