
namespace IntegrationBus.Storage;

/// <summary>One connector's state for one task.</summary>
public sealed record SynchronizationState
{
    /// <summary>Gets the connector.</summary>
    public required string Connector { get; init; }

    /// <summary>Gets the direction.</summary>
    public required TaskDirection Direction { get; init; }

    /// <summary>Gets the status.</summary>
    public required SynchronizationStatus Status { get; init; }

    /// <summary>Gets the failed attempts so far.</summary>
    public int Attempts { get; init; }

    /// <summary>Gets the last error message.</summary>
    public string? LastError { get; init; }

    /// <summary>Gets when the task was last attempted.</summary>
    public DateTimeOffset? LastRunAt { get; init; }

    /// <summary>Gets when an errored or skipped task may be retried.</summary>
    public DateTimeOffset? NextAttemptAt { get; init; }
}
