namespace IntegrationBus.Storage;

/// <summary>What one batch of a bulk retry or delete did.</summary>
public sealed record BulkBatchResult
{
    /// <summary>Gets how many synchronizations the batch changed.</summary>
    public required int Count { get; init; }

    /// <summary>Gets the position of the last row the batch looked at, to go on after it; <see langword="null"/> when none matched.</summary>
    public TaskPosition? Last { get; init; }
}
