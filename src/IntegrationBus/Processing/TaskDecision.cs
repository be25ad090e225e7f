using IntegrationBus.Storage;

namespace IntegrationBus.Processing;

/// <summary>What a runner does after one task: what to record, and whether the run stops (and until when).</summary>
/// <param name="Outcome">The result to record, or <see langword="null"/> to record nothing.</param>
/// <param name="StopRun">Whether later tasks must wait (an error keeps the order).</param>
/// <param name="SkippedNow">Whether the task was left for the next run without a record (SkipNow).</param>
/// <param name="DueAt">When a stopped run may go on, or <see langword="null"/> when an operator must act.</param>
/// <param name="Exception">The exception the call threw, if any (for the span's <c>error.type</c>).</param>
/// <param name="Paused">Whether no call was made because the connector's circuit breaker is open (nothing is recorded or counted).</param>
internal readonly record struct TaskDecision(TaskOutcome? Outcome, bool StopRun = false, bool SkippedNow = false, DateTimeOffset? DueAt = null, Exception? Exception = null, bool Paused = false)
{
    /// <summary>Gets the result of the call: the recorded one, or SkipNow when nothing is recorded.</summary>
    public TaskResultKind ResultKind => Outcome?.Result ?? TaskResultKind.SkipNow;
}
