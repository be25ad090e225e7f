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

    /// <summary>Gets a value indicating whether every task of the outcomes was appended to this queue only (each had a <see cref="QueuedTask.SynchronizationCount"/> of 1).</summary>
    /// <remarks>
    /// A store may rely on it: an acknowledged task then goes with its one synchronization, without locking it first or
    /// looking for other queues' rows. Set it only from what the store's fetch said; when unsure, leave it
    /// <see langword="false"/>, which is always right.
    /// </remarks>
    /// <value><see langword="false"/>: any task may be shared with other queues.</value>
    public bool SingleQueueTasks { get; init; }
}
