using IntegrationBus.Storage;

namespace IntegrationBus.Cli.Client;

/// <summary>One page of a task list, in the management API's shape: the rows and the cursor of the next page.</summary>
/// <param name="Items">The rows.</param>
/// <param name="Next">The cursor to pass as <c>--after</c> for the next page, or <see langword="null"/> on the last page.</param>
internal sealed record TaskListPage(IReadOnlyList<TaskSummary> Items, string? Next);
