using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace IntegrationBus;

/// <summary>Per-connector options, named after the connector's code name.</summary>
/// <remarks>
/// Set them with <c>AddConnector&lt;T&gt;(options =&gt; …)</c>, which applies to that connector only, or as named options
/// (<c>services.Configure&lt;ConnectorOptions&gt;("crm", …)</c>, binding from configuration included); the
/// <c>AddConnector</c> callback runs after the named options. Two instances of one connector class have their own options.
/// </remarks>
public sealed class ConnectorOptions
{
    /// <summary>Gets or sets how many failed attempts park a task as failed, so one poison task cannot block the queue forever.</summary>
    /// <value><see langword="null"/>: never park; tasks are retried until they succeed or an operator acts.</value>
    [Range(1, 1_000_000)]
    public int? MaxAttempts { get; set; }

    /// <summary>Gets or sets how long one connector call (or one incoming apply) may take before it is cancelled and counted as an Error.</summary>
    /// <remarks>
    /// The call's cancellation token is signalled when the time is up; a call that ignores its token is abandoned (the
    /// runner stops waiting for it, records the Error and stops the run, so order holds).
    /// </remarks>
    /// <value><see langword="null"/>: no limit.</value>
    [Range(typeof(TimeSpan), "00:00:00.001", "1.00:00:00")]
    public TimeSpan? TaskTimeout { get; set; }

    /// <summary>Gets the circuit breaker of the connector's outgoing calls.</summary>
    /// <value>Off (<see cref="CircuitBreakerOptions.Enabled"/> is <see langword="false"/>); see <see cref="CircuitBreakerOptions"/> for the other defaults.</value>
    [ValidateObjectMembers]
    public CircuitBreakerOptions CircuitBreaker { get; } = new();
}
