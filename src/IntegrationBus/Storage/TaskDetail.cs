namespace IntegrationBus.Storage;

/// <summary>A stored task with its payload and every connector's state for it.</summary>
public sealed record TaskDetail
{
    /// <summary>Gets the task.</summary>
    public required IntegrationTaskInfo Task { get; init; }

    /// <summary>Gets the versioned JSON payload.</summary>
    public required string Payload { get; init; }

    /// <summary>Gets the W3C <c>traceparent</c> stored with the task.</summary>
    public string? TraceParent { get; init; }

    /// <summary>Gets the W3C <c>tracestate</c> stored with the task.</summary>
    public string? TraceState { get; init; }

    /// <summary>Gets each connector's state for the task, ordered by connector name and direction.</summary>
    public required IReadOnlyList<SynchronizationState> Synchronizations { get; init; }
}
