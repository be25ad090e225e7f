namespace IntegrationBus.Storage;

/// <summary>One batch of a resync job to record: its tasks and the cursor after it, written in one transaction.</summary>
public sealed record ResyncBatch
{
    /// <summary>Gets the job's ID.</summary>
    public required long JobId { get; init; }

    /// <summary>Gets the node that claimed the job (see <see cref="ResyncStore.ClaimAsync"/>).</summary>
    public required string Node { get; init; }

    /// <summary>Gets the type in progress after the batch.</summary>
    public required string CursorType { get; init; }

    /// <summary>Gets the last ID done in <see cref="CursorType"/> after the batch, or <see langword="null"/> when none is.</summary>
    public long? CursorId { get; init; }

    /// <summary>Gets the batch's tasks (may be empty, to move the cursor alone).</summary>
    public required IReadOnlyList<NewIntegrationTask> Tasks { get; init; }

    /// <summary>Gets the current time.</summary>
    public required DateTimeOffset Now { get; init; }

    /// <summary>Gets how long the node's claim holds after the batch.</summary>
    public required TimeSpan ClaimDuration { get; init; }
}
