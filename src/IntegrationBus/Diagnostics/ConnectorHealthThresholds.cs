using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace IntegrationBus;

/// <summary>When a connector's queues make the queues health check report Degraded or Unhealthy.</summary>
/// <remarks>A threshold of <see langword="null"/> is not checked. The worse of the two statuses a figure reaches wins.</remarks>
public sealed class ConnectorHealthThresholds
{
    /// <summary>Gets or sets the lag (age of the oldest task still to deliver) from which the queue is Degraded.</summary>
    /// <value>5 minutes.</value>
    public TimeSpan? DegradedLag { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Gets or sets the lag from which the queue is Unhealthy.</summary>
    /// <value><see langword="null"/>: lag alone never makes the bus Unhealthy.</value>
    public TimeSpan? UnhealthyLag { get; set; }

    /// <summary>Gets or sets the status of a queue an error holds (its head waits for a retry or an operator).</summary>
    /// <value><see cref="HealthStatus.Degraded"/>.</value>
    public HealthStatus BlockedStatus { get; set; } = HealthStatus.Degraded;

    /// <summary>Gets or sets the number of tasks parked as failed from which the queue is Degraded.</summary>
    /// <value>1: any parked task needs an operator.</value>
    public long? DegradedFailed { get; set; } = 1;

    /// <summary>Gets or sets the number of tasks parked as failed from which the queue is Unhealthy.</summary>
    /// <value><see langword="null"/>.</value>
    public long? UnhealthyFailed { get; set; }
}
