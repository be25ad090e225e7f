using System.Globalization;
using IntegrationBus.Processing;
using IntegrationBus.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace IntegrationBus.Diagnostics;

/// <summary>
/// Each registered connector's queues against its thresholds: lag, blocked by an error, tasks parked as failed; and its
/// circuit breaker (Degraded while it is open or half-open).
/// </summary>
internal sealed class QueuesHealthCheck(ConnectorRegistry connectors, QueueMonitor monitor, IOptionsMonitor<IntegrationBusHealthCheckOptions> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var settings = options.CurrentValue;
        var figures = await monitor.GetAsync(settings.MaxFigureAge, cancellationToken).ConfigureAwait(false);
        var status = HealthStatus.Healthy;
        var problems = new List<string>();
        var data = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var connector in connectors.All)
        {
            var thresholds = settings.Connectors.TryGetValue(connector.Name, out var own) ? own : settings.Defaults;
            if (figures.NotClosedBreakerOf(connector.Name) is { } breaker)
            {
                data[connector.Outgoing.DestinationName + ".circuitBreaker"] = breaker.Status.ToString();
                var open = breaker.Status == CircuitBreakerStatus.Open;
                Check(open, HealthStatus.Degraded, $"{connector.Outgoing.DestinationName}: circuit breaker open until {breaker.OpenUntil:O} ({breaker.Reason})");
                Check(!open, HealthStatus.Degraded, $"{connector.Outgoing.DestinationName}: circuit breaker half-open (a task probes)");
            }

            foreach (var queue in (ReadOnlySpan<QueueRuntime>)[connector.Outgoing, connector.Incoming])
            {
                if (figures.Find(queue.Key) is not { } summary)
                {
                    continue;
                }

                var lag = figures.LagOf(summary);
                data[queue.DestinationName + ".lag"] = lag;
                data[queue.DestinationName + ".depth"] = summary.Depth;
                var name = queue.DestinationName;
                Check(lag >= thresholds.UnhealthyLag, HealthStatus.Unhealthy, $"{name}: lag {lag:c} (Unhealthy from {thresholds.UnhealthyLag:c})");
                if (!(lag >= thresholds.UnhealthyLag))
                {
                    Check(lag >= thresholds.DegradedLag, HealthStatus.Degraded, $"{name}: lag {lag:c} (Degraded from {thresholds.DegradedLag:c})");
                }

                Check(summary.Errors > 0 && thresholds.BlockedStatus != HealthStatus.Healthy, thresholds.BlockedStatus, $"{name}: blocked by an error ({summary.Errors} tasks in error)");
                Check(summary.Failed >= thresholds.UnhealthyFailed, HealthStatus.Unhealthy, $"{name}: {summary.Failed} tasks parked as failed (Unhealthy from {thresholds.UnhealthyFailed})");
                if (!(summary.Failed >= thresholds.UnhealthyFailed))
                {
                    Check(summary.Failed >= thresholds.DegradedFailed, HealthStatus.Degraded, $"{name}: {summary.Failed} tasks parked as failed (Degraded from {thresholds.DegradedFailed})");
                }
            }
        }

        var description = problems.Count == 0 ? "Every connector's queues are within their thresholds." : string.Join("; ", problems) + ".";
        return new HealthCheckResult(status, description, data: data);

        void Check(bool reached, HealthStatus reachedStatus, FormattableString problem)
        {
            if (reached)
            {
                problems.Add(problem.ToString(CultureInfo.InvariantCulture));
                status = reachedStatus < status ? reachedStatus : status;
            }
        }
    }
}
