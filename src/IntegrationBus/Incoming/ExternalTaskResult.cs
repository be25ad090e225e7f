namespace IntegrationBus.Incoming;

/// <summary>The answer to an external change: queued (with the task's ID) or why not.</summary>
/// <param name="Status">What happened.</param>
/// <param name="TaskId">The queued task's ID, when queued or repeated.</param>
/// <param name="TaskGuid">The queued task's GUID, when queued or repeated.</param>
/// <param name="Message">Why it was not queued.</param>
public sealed record ExternalTaskResult(ExternalTaskStatus Status, long? TaskId = null, Guid? TaskGuid = null, string? Message = null)
{
    /// <summary>Gets a value indicating whether the change is queued (now or earlier).</summary>
    public bool IsQueued => Status is ExternalTaskStatus.Queued or ExternalTaskStatus.Repeated;
}
