using System.ComponentModel.DataAnnotations;

namespace IntegrationBus;

/// <summary>The circuit breaker of one connector's outgoing queue (<see cref="ConnectorOptions.CircuitBreaker"/>).</summary>
/// <remarks>
/// <para>
/// Polly's circuit breaker watches the connector's calls. When, within <see cref="SamplingDuration"/>, at least
/// <see cref="MinimumThroughput"/> calls were made and at least <see cref="FailureRatio"/> of them failed, the breaker
/// opens: the queue pauses for <see cref="BreakDuration"/> (no calls, no attempts recorded, so no task is parked for
/// <see cref="ConnectorOptions.MaxAttempts"/> meanwhile). Then one task probes (half-open): success closes the breaker
/// and the queue drains; failure opens it for another break.
/// </para>
/// <para>
/// Failures are the calls that end in <see cref="TaskResultKind.Error"/> or <see cref="TaskResultKind.ErrorAndSkip"/>
/// (an exception and a task timeout are Errors too); <see cref="TaskResultKind.Ok"/> and
/// <see cref="TaskResultKind.SkipNow"/> are successes (the external system answered). The state is stored, so a node
/// that takes the queue over honours an open breaker, and the management service shows it.
/// </para>
/// </remarks>
public sealed class CircuitBreakerOptions
{
    /// <summary>Gets or sets a value indicating whether the connector's outgoing calls go through a circuit breaker.</summary>
    /// <value><see langword="false"/>: off; every task is tried as its retry schedule says.</value>
    public bool Enabled { get; set; } = CircuitBreakerDefaults.Enabled;

    /// <summary>Gets or sets the share of failed calls within <see cref="SamplingDuration"/> that opens the breaker (1 = every call failed).</summary>
    /// <value>0.5: half of the calls failed.</value>
    [Range(0.01, 1.0)]
    public double FailureRatio { get; set; } = CircuitBreakerDefaults.FailureRatio;

    /// <summary>Gets or sets how many calls within <see cref="SamplingDuration"/> the breaker needs before it judges the ratio.</summary>
    /// <remarks>With <see cref="FailureRatio"/> 1 this is the number of failed calls in a row that opens the breaker.</remarks>
    /// <value>5 calls.</value>
    [Range(2, 1_000_000)]
    public int MinimumThroughput { get; set; } = CircuitBreakerDefaults.MinimumThroughput;

    /// <summary>Gets or sets the window over which the failure ratio is measured.</summary>
    /// <value>1 minute.</value>
    [Range(typeof(TimeSpan), "00:00:00.500", "1.00:00:00")]
    public TimeSpan SamplingDuration { get; set; } = CircuitBreakerDefaults.SamplingDuration;

    /// <summary>Gets or sets how long the queue pauses once the breaker opens, before one task probes.</summary>
    /// <value>30 seconds.</value>
    [Range(typeof(TimeSpan), "00:00:00.500", "1.00:00:00")]
    public TimeSpan BreakDuration { get; set; } = CircuitBreakerDefaults.BreakDuration;
}
