
namespace IntegrationBus.Storage;

/// <summary>A position in a task list, for keyset paging: lists are ordered by task ID, connector name and direction.</summary>
/// <param name="TaskId">The task ID.</param>
/// <param name="Connector">The connector's code name.</param>
/// <param name="Direction">The direction.</param>
public readonly record struct TaskPosition(long TaskId, string Connector, TaskDirection Direction);
