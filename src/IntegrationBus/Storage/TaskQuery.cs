using IntegrationBus.Model;

namespace IntegrationBus.Storage;

/// <summary>A filter for listing and counting synchronizations (a task for a connector).</summary>
/// <param name="Connector">Only this connector, or any.</param>
/// <param name="Direction">Only this direction, or any.</param>
/// <param name="Status">Only this status, or any.</param>
/// <param name="ObjectType">Only this object type, or any.</param>
/// <param name="AfterTaskId">Only tasks with a greater ID (paging), or from the start.</param>
/// <param name="Limit">The most rows to return.</param>
public sealed record TaskQuery(
    string? Connector = null,
    TaskDirection? Direction = null,
    SynchronizationStatus? Status = null,
    string? ObjectType = null,
    long AfterTaskId = 0,
    int Limit = 100);
