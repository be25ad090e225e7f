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

    /// <summary>Gets how the queue keeps order.</summary>
    /// <remarks>
    /// With <see cref="Ordering.PerObject"/> a store leaves out every task whose ordering key is blocked: an earlier task
    /// (smaller ID) of the same queue and key is parked (<see cref="SynchronizationStatus.Failed"/>) and not released. The
    /// runner does the rest (a key's Error head holds its later tasks).
    /// </remarks>
    /// <value><see cref="Ordering.Connector"/>: the keys are ignored.</value>
    public Ordering Ordering { get; init; }
}
