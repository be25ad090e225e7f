namespace IntegrationBus.Storage;

/// <summary>One task for one connector, as management lists show it.</summary>
public sealed record TaskSummary
{
    /// <summary>Gets the task.</summary>
    public required IntegrationTaskInfo Task { get; init; }

    /// <summary>Gets the connector's state for it.</summary>
    public required SynchronizationState Synchronization { get; init; }

    /// <summary>Gets this row's position, to page on after it.</summary>
    public TaskPosition Position => new(Task.Id, Synchronization.Connector, Synchronization.Direction);
}
