using System.Globalization;
using IntegrationBus.Processing;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace IntegrationBus.Diagnostics;

/// <summary>This node's runners run: every queue's loop has started and not ended, and none keeps failing (a producer-only node runs none, which is healthy).</summary>
internal sealed class RunnersHealthCheck(ConnectorRegistry connectors, IntegrationBusOptions options) : IHealthCheck
{
    /// <summary>How many failed iterations in a row make a runner Degraded (it backs off and retries meanwhile).</summary>
    private const int FailuresForDegraded = 3;

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (options.ProducerOnly)
        {
            return Task.FromResult(HealthCheckResult.Healthy("This process is producer-only (IntegrationBusOptions.ProducerOnly): it runs no queue; the other nodes do."));
        }

        var problems = new List<string>();
        var status = HealthStatus.Healthy;
        var running = 0;
        foreach (var connector in connectors.All)
        {
            foreach (var queue in connector.Queues)
            {
                switch (queue.RunnerState)
                {
                    case RunnerState.NotStarted:
                        problems.Add($"the runner of {queue.DestinationName} has not started (is the host running?)");
                        status = context.Registration.FailureStatus;
                        break;
                    case RunnerState.Stopped:
                        problems.Add($"the runner of {queue.DestinationName} has stopped");
                        status = context.Registration.FailureStatus;
                        break;
                    default:
                        running++;
                        if (queue.ConsecutiveFailures >= FailuresForDegraded)
                        {
                            problems.Add(string.Create(CultureInfo.InvariantCulture, $"the runner of {queue.DestinationName} failed its last {queue.ConsecutiveFailures} passes"));
                            status = Worse(status, HealthStatus.Degraded);
                        }

                        break;
                }
            }
        }

        var description = problems.Count == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{running} runners are running.")
            : string.Join("; ", problems) + ".";
        return Task.FromResult(new HealthCheckResult(status, description));
    }

    private static HealthStatus Worse(HealthStatus a, HealthStatus b) => a < b ? a : b;
}
