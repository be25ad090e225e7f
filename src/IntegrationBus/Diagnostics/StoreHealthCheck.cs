using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace IntegrationBus.Diagnostics;

/// <summary>The task store answers: its queue overview can be read (or was, within <see cref="IntegrationBusHealthCheckOptions.MaxFigureAge"/>).</summary>
internal sealed class StoreHealthCheck(QueueMonitor monitor, IOptionsMonitor<IntegrationBusHealthCheckOptions> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var figures = await monitor.GetAsync(options.CurrentValue.MaxFigureAge, cancellationToken).ConfigureAwait(false);
            return HealthCheckResult.Healthy(string.Create(CultureInfo.InvariantCulture, $"The task store answered at {figures.ReadAt:O} ({figures.Queues.Count} queues)."));
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, $"The task store could not be read: {exception.GetType().Name}: {exception.Message}", exception);
        }
    }
}
