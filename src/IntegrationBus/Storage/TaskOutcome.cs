
namespace IntegrationBus.Storage;

/// <summary>The result of one attempt at one task, to record.</summary>
public readonly record struct TaskOutcome
{
    /// <summary>Gets the task.</summary>
    public required long TaskId { get; init; }

    /// <summary>Gets the result; <see cref="TaskResultKind.SkipNow"/> records nothing.</summary>
    public required TaskResultKind Result { get; init; }

    /// <summary>Gets the error message, for errors.</summary>
    public string? Message { get; init; }

    /// <summary>Gets the error's details for the attempt log (an exception's type, message and stack trace), for errors.</summary>
    public string? Details { get; init; }

    /// <summary>Gets when the attempt ran.</summary>
    public required DateTimeOffset AttemptedAt { get; init; }

    /// <summary>Gets, for <see cref="TaskResultKind.Error"/> and <see cref="TaskResultKind.ErrorAndSkip"/>, when the task may be retried.</summary>
    public DateTimeOffset? NextAttemptAt { get; init; }

    /// <summary>Gets a value indicating whether to park the task as <see cref="SynchronizationStatus.Failed"/> instead.</summary>
    public bool Park { get; init; }

    /// <summary>Gets, for an OK outgoing outcome, the external system's ID of the task's object, written to the connector's ID map in the same transaction.</summary>
    /// <remarks>The entry is keyed by the task's object type and object GUID; a task without an object GUID writes none.</remarks>
    public ExternalId? ExternalId { get; init; }

    /// <summary>Gets a value indicating whether an OK outcome removes the connector's ID-map entry of the task's object (a delivered delete), in the same transaction.</summary>
    public bool ForgetExternalId { get; init; }

    /// <summary>Gets a value indicating whether to drop the task for this queue as if it succeeded (the DeleteOnError policy).</summary>
    public bool Discard { get; init; }
}
