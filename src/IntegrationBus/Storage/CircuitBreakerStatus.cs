namespace IntegrationBus.Storage;

/// <summary>Where a connector's circuit breaker stands.</summary>
public enum CircuitBreakerStatus
{
    /// <summary>Calls go through; the breaker counts their failures.</summary>
    Closed = 0,

    /// <summary>The queue pauses until <see cref="CircuitBreakerState.OpenUntil"/>: no calls, no attempts recorded.</summary>
    Open = 1,

    /// <summary>The break is over and one task probes the external system; its result closes or re-opens the breaker.</summary>
    HalfOpen = 2,
}
