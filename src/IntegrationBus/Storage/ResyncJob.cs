namespace IntegrationBus.Storage;

/// <summary>A durable resync (initial load) of one connector: which objects, how far it got, and its state.</summary>
/// <remarks>
/// The cursor is the type in progress and the last ID done in it; types are worked in ordinal order of their names and
/// objects in ascending ID order, so a node that takes the job over after a crash resumes right after the last batch
/// that committed.
/// </remarks>
public sealed record ResyncJob
{
    /// <summary>Gets the job's ID (given by the store; ignored on create).</summary>
    public long Id { get; init; }

    /// <summary>Gets the connector the objects are queued for.</summary>
    public required string Connector { get; init; }

    /// <summary>Gets the object or page type filter: a glob like a subscription's (<c>%</c> = any run of characters), or <see langword="null"/> for every type.</summary>
    public string? TypeFilter { get; init; }

    /// <summary>Gets the modification time an object must have reached to be queued, or <see langword="null"/> for every object.</summary>
    public DateTimeOffset? Since { get; init; }

    /// <summary>Gets the state.</summary>
    public ResyncJobState State { get; init; }

    /// <summary>Gets the type in progress, or <see langword="null"/> before the first batch.</summary>
    public string? CursorType { get; init; }

    /// <summary>Gets the last ID done in <see cref="CursorType"/>, or <see langword="null"/> when none is done yet.</summary>
    public long? CursorId { get; init; }

    /// <summary>Gets how many tasks the job has queued so far.</summary>
    public long Queued { get; init; }

    /// <summary>Gets why the job failed, or <see langword="null"/>.</summary>
    public string? Error { get; init; }

    /// <summary>Gets when the job was started.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>Gets when the job last changed.</summary>
    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>Gets when the job ended (completed, cancelled or failed), or <see langword="null"/> while it runs.</summary>
    public DateTimeOffset? CompletedAt { get; init; }

    /// <summary>Gets who started the job, or <see langword="null"/> when unknown.</summary>
    public string? StartedBy { get; init; }
}
