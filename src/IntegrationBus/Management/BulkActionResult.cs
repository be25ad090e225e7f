namespace IntegrationBus.Management;

/// <summary>What a retry or delete by filter did.</summary>
public sealed record BulkActionResult
{
    /// <summary>Gets how many synchronizations (a task for a connector) were changed.</summary>
    public required long Count { get; init; }

    /// <summary>Gets how many store transactions it took (bounded batches, so the queues keep running meanwhile).</summary>
    public required int Batches { get; init; }
}
