namespace IntegrationBus.Storage;

/// <summary>The stored state of one connector's circuit breaker, shared by every node.</summary>
/// <remarks>
/// Written by the node that runs the connector's outgoing queue on each change of state; read by a node that takes the
/// queue over (so it honours an open breaker) and by the management service.
/// </remarks>
public sealed record CircuitBreakerState
{
    /// <summary>Gets the connector's code name.</summary>
    public required string Connector { get; init; }

    /// <summary>Gets the breaker's state.</summary>
    public required CircuitBreakerStatus Status { get; init; }

    /// <summary>Gets when the state last changed.</summary>
    public required DateTimeOffset ChangedAt { get; init; }

    /// <summary>Gets when the breaker last opened, or <see langword="null"/> when it never did.</summary>
    public DateTimeOffset? OpenedAt { get; init; }

    /// <summary>Gets until when an open breaker pauses the queue (then one task probes), or <see langword="null"/> unless open.</summary>
    public DateTimeOffset? OpenUntil { get; init; }

    /// <summary>Gets the failure that last opened the breaker (a result's message), or <see langword="null"/>.</summary>
    public string? Reason { get; init; }
}
