namespace IntegrationBus;

/// <summary>What a connector says about a task it processed.</summary>
public sealed class TaskResult
{
    private TaskResult(TaskResultKind kind, string? message)
    {
        Kind = kind;
        Message = message;
    }

    /// <summary>Gets the result that removes the task from the connector's queue.</summary>
    public static TaskResult Ok { get; } = new(TaskResultKind.Ok, null);

    /// <summary>Gets the kind of result.</summary>
    public TaskResultKind Kind { get; }

    /// <summary>Gets the message (the reason for an error or a skip).</summary>
    public string? Message { get; }

    /// <summary>Gets how long to wait before the next attempt, when the external system said so (an HTTP <c>Retry-After</c>).</summary>
    /// <value><see langword="null"/>: the runner's back-off decides (<see cref="IntegrationBusOptions.RetryDelay"/> doubling per attempt).</value>
    public TimeSpan? RetryAfter { get; private init; }

    /// <summary>Gets the external system's ID of the task's object, when the connector reported it with <see cref="OkWithExternalId"/>.</summary>
    public ExternalId? ExternalId { get; private init; }

    /// <summary>Removes the task from the connector's queue and records the external system's ID of the task's object in the ID map.</summary>
    /// <remarks>
    /// <para>
    /// The entry (this connector, the task's object type, the object's GUID) ↔ <paramref name="externalId"/> is written in
    /// the same transaction as the acknowledgement, so a delivered create never lacks its mapping. Later tasks for the
    /// object carry it as <see cref="OutgoingTask.ExternalId"/>, and the default <c>GetExternalObjectIdAsync</c>,
    /// <c>GetExternalPageIdAsync</c>, <c>GetInternalObjectParamsAsync</c> and <c>GetInternalPageParamsAsync</c> of
    /// <see cref="Connector"/> translate references through it. An object without a GUID cannot be mapped: the task is
    /// still acknowledged and nothing is recorded.
    /// </para>
    /// <para>
    /// DESIGN.md writes this <c>TaskResult.Ok(externalId)</c>; C# cannot have the property <see cref="Ok"/> (which stays)
    /// and a method <c>Ok(…)</c> on one type, so it has its own name.
    /// </para>
    /// </remarks>
    /// <param name="externalId">The external system's ID of the object (an integer, a string or a GUID).</param>
    /// <returns>The result.</returns>
    /// <exception cref="ArgumentException">The ID is the default value, or an empty string.</exception>
    public static TaskResult OkWithExternalId(ExternalId externalId)
    {
        if (externalId.Value is null || externalId.Value is string { Length: 0 })
        {
            throw new ArgumentException("An external ID must not be empty.", nameof(externalId));
        }

        return new(TaskResultKind.Ok, null) { ExternalId = externalId };
    }

    /// <summary>Fails the task: the error is recorded, a retry is scheduled and the run stops so that order holds.</summary>
    /// <param name="message">What went wrong.</param>
    /// <returns>The result.</returns>
    public static TaskResult Error(string message)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(message);
        return new(TaskResultKind.Error, message);
    }

    /// <summary>Fails the task and says when to try it again: the runner uses this delay instead of its back-off for this attempt.</summary>
    /// <remarks>
    /// For an external system that said when it can take the call again (HTTP <c>Retry-After</c>). The error is recorded and
    /// the run stops, as with <see cref="Error(string)"/>; the queue waits until the delay has passed. A task that reaches
    /// <see cref="ConnectorOptions.MaxAttempts"/> is parked all the same.
    /// </remarks>
    /// <param name="message">What went wrong.</param>
    /// <param name="retryAfter">How long to wait before the next attempt (a negative delay counts as zero); <see langword="null"/> = the runner's back-off.</param>
    /// <returns>The result.</returns>
    public static TaskResult Error(string message, TimeSpan? retryAfter)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(message);
        return new(TaskResultKind.Error, message) { RetryAfter = retryAfter is { } delay && delay < TimeSpan.Zero ? TimeSpan.Zero : retryAfter };
    }

    /// <summary>Fails the task but goes on with the next one; the task is retried in the next run.</summary>
    /// <param name="message">What went wrong.</param>
    /// <returns>The result.</returns>
    public static TaskResult ErrorAndSkip(string message)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(message);
        return new(TaskResultKind.ErrorAndSkip, message);
    }

    /// <summary>Leaves the task for the next run without recording anything, and goes on.</summary>
    /// <param name="message">Why, for the log; optional.</param>
    /// <returns>The result.</returns>
    public static TaskResult SkipNow(string? message = null) => new(TaskResultKind.SkipNow, message);

    /// <inheritdoc />
    public override string ToString() => Message is null ? Kind.ToString() : $"{Kind}: {Message}";
}
