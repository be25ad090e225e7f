using IntegrationBus.Storage;

namespace IntegrationBus.Management;

/// <summary>One page of a task list.</summary>
public sealed record TaskPage
{
    /// <summary>Gets the rows, ordered by task ID, connector name and direction.</summary>
    public required IReadOnlyList<TaskSummary> Items { get; init; }

    /// <summary>Gets the position to read the next page after (<see cref="TaskQuery.After"/>), or <see langword="null"/> on the last page.</summary>
    public TaskPosition? Next { get; init; }
}
