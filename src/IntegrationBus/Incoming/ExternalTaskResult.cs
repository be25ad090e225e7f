namespace IntegrationBus;

/// <summary>The answer to an external change: queued (with the task's ID) or why not.</summary>
/// <param name="Status">What happened.</param>
/// <param name="TaskId">The queued task's ID, when queued or repeated.</param>
/// <param name="TaskGuid">The queued task's GUID, when queued or repeated.</param>
/// <param name="Message">Why it was not queued.</param>
public sealed record ExternalTaskResult(ExternalTaskStatus Status, long? TaskId = null, Guid? TaskGuid = null, string? Message = null)
{
    /// <summary>Gets a value indicating whether the change is queued (now or earlier).</summary>
    public bool IsQueued => Status is ExternalTaskStatus.Queued or ExternalTaskStatus.Repeated;

    /// <summary>Gets the exception the connector threw while converting the object, when that is why it was rejected.</summary>
    /// <remarks>Its text is not in <see cref="Message"/>, which may be shown to the external system (the HTTP service does).</remarks>
    public Exception? Exception { get; init; }

    /// <summary>Gets the rule the object breaks, when that is why it was refused (<see cref="ExternalTaskStatus.InvalidObject"/>).</summary>
    public ObjectViolation? Violation { get; init; }
}
