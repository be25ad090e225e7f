using IntegrationBus.Storage;

namespace IntegrationBus.Diagnostics;

/// <summary>The queues' sizes as read from the store at one moment (for the observable metrics and the health checks).</summary>
/// <param name="Queues">Every queue the store reported.</param>
/// <param name="ReadAt">When they were read.</param>
/// <param name="Breakers">The stored circuit breaker states (connectors without one have a closed breaker).</param>
internal sealed record QueueFigures(IReadOnlyList<QueueSummary> Queues, DateTimeOffset ReadAt, IReadOnlyList<CircuitBreakerState> Breakers)
{
    /// <summary>Finds a connector's stored circuit breaker state, if it is open or half-open.</summary>
    public CircuitBreakerState? NotClosedBreakerOf(string connector)
    {
        foreach (var breaker in Breakers)
        {
            if (breaker.Status != CircuitBreakerStatus.Closed && string.Equals(breaker.Connector, connector, StringComparison.OrdinalIgnoreCase))
            {
                return breaker;
            }
        }

        return null;
    }

    /// <summary>The age of a queue's oldest task still to deliver when the figures were read (0 when there is none).</summary>
    public TimeSpan LagOf(QueueSummary queue) =>
        queue.OldestCreatedAt is { } oldest && oldest < ReadAt ? ReadAt - oldest : TimeSpan.Zero;

    /// <summary>Finds a queue's figures; a queue the store does not report is empty.</summary>
    public QueueSummary? Find(QueueKey key)
    {
        foreach (var queue in Queues)
        {
            if (queue.Queue == key)
            {
                return queue;
            }
        }

        return null;
    }
}
