
namespace IntegrationBus.Storage;

/// <summary>A filter for listing, counting, retrying and deleting synchronizations (a task for a connector); every condition set must hold.</summary>
public sealed record TaskQuery
{
    /// <summary>Gets the connector, or <see langword="null"/> for any.</summary>
    public string? Connector { get; init; }

    /// <summary>Gets the direction, or <see langword="null"/> for both.</summary>
    public TaskDirection? Direction { get; init; }

    /// <summary>Gets the status, or <see langword="null"/> for any.</summary>
    public SynchronizationStatus? Status { get; init; }

    /// <summary>Gets the object (or page) type name, or <see langword="null"/> for any.</summary>
    public string? ObjectType { get; init; }

    /// <summary>Gets the operation, or <see langword="null"/> for any.</summary>
    public TaskType? TaskType { get; init; }

    /// <summary>
    /// Gets a text to find, or <see langword="null"/>: a GUID matches the task's or the object's GUID; other text matches
    /// the start of the object's code name or display name (case-insensitive for ASCII letters).
    /// </summary>
    /// <remarks>Not indexed: a store reads the connector's queue (or every task) in order to match it; combine it with a connector.</remarks>
    public string? Text { get; init; }

    /// <summary>Gets the earliest logging time (inclusive), or <see langword="null"/>.</summary>
    public DateTimeOffset? CreatedFrom { get; init; }

    /// <summary>Gets the latest logging time (exclusive), or <see langword="null"/>.</summary>
    public DateTimeOffset? CreatedBefore { get; init; }

    /// <summary>Gets the position after which to read (keyset paging), or <see langword="null"/> from the start.</summary>
    public TaskPosition? After { get; init; }

    /// <summary>Gets the most rows to return or act on.</summary>
    /// <value>100.</value>
    public int Limit { get; init; } = 100;
}
