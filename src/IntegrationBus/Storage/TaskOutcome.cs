using IntegrationBus.Connectors;

namespace IntegrationBus.Storage;

/// <summary>The result of one attempt at one task, to record.</summary>
/// <param name="TaskId">The task.</param>
/// <param name="Result">The result; <see cref="TaskResultKind.SkipNow"/> records nothing.</param>
/// <param name="Message">The error message, for errors.</param>
/// <param name="AttemptedAt">When the attempt ran.</param>
/// <param name="NextAttemptAt">For <see cref="TaskResultKind.Error"/>, when the task may be retried.</param>
/// <param name="Park">Whether to park the task as <see cref="SynchronizationStatus.Failed"/> instead.</param>
/// <param name="Discard">Whether to drop the task for this connector as if it succeeded (the DeleteOnError policy).</param>
public readonly record struct TaskOutcome(
    long TaskId,
    TaskResultKind Result,
    string? Message,
    DateTimeOffset AttemptedAt,
    DateTimeOffset? NextAttemptAt = null,
    bool Park = false,
    bool Discard = false);
