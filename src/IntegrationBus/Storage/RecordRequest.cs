namespace IntegrationBus.Storage;

/// <summary>The results of a batch to record, under the runner's lease.</summary>
public sealed record RecordRequest
{
    /// <summary>Gets the lease the results were produced under; results of a stale lease are refused.</summary>
    public required QueueLease Lease { get; init; }

    /// <summary>Gets the outcomes, in the order the tasks were processed.</summary>
    public required IReadOnlyList<TaskOutcome> Outcomes { get; init; }

    /// <summary>Gets a value indicating whether delivered (OK) tasks are copied to the history before they are removed.</summary>
    public bool KeepHistory { get; init; }
}
