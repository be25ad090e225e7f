using IntegrationBus.Storage;

namespace IntegrationBus.AspNetCore.Management;

/// <summary>One page of <c>GET {prefix}/api/tasks</c>.</summary>
/// <param name="Items">The rows, ordered by task ID, connector and direction.</param>
/// <param name="Next">The cursor to pass as <c>after</c> for the next page, or <see langword="null"/> on the last page.</param>
internal sealed record TaskListResponse(IReadOnlyList<TaskSummary> Items, string? Next);
