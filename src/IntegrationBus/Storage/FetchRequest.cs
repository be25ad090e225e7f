namespace IntegrationBus.Storage;

/// <summary>Which part of a queue to read.</summary>
public sealed record FetchRequest
{
    /// <summary>Gets the queue.</summary>
    public required QueueKey Queue { get; init; }

    /// <summary>Gets the position: only tasks with a greater ID; 0 reads from the start.</summary>
    public long AfterTaskId { get; init; }

    /// <summary>Gets the batch size.</summary>
    public required int Limit { get; init; }

    /// <summary>Gets the current time: skipped tasks whose next attempt is later are left out.</summary>
    public required DateTimeOffset Now { get; init; }
}
