using IntegrationBus.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace IntegrationBus;

/// <summary>Registers the bus's health checks.</summary>
public static class IntegrationBusHealthChecksBuilderExtensions
{
    /// <summary>
    /// Adds three checks: <c>integrationbus-store</c> (the task store answers; Unhealthy when it does not),
    /// <c>integrationbus-runners</c> (this node's runners run; Unhealthy when they have not started or have stopped,
    /// Degraded when one keeps failing) and <c>integrationbus-queues</c> (each connector's lag, blocked queues and parked
    /// tasks against <see cref="ConnectorHealthThresholds"/>; the description names the connector and the figure).
    /// </summary>
    /// <param name="builder">The health checks builder (<c>services.AddHealthChecks()</c>).</param>
    /// <param name="configure">Sets thresholds, or <see langword="null"/> for the defaults.</param>
    /// <param name="tags">The checks' tags, to filter them on an endpoint.</param>
    /// <value><paramref name="tags"/> defaults to <c>integrationbus</c>.</value>
    /// <returns>The builder.</returns>
    /// <example>
    /// <code>
    /// builder.Services.AddHealthChecks().AddIntegrationBusHealthChecks(o => o.Connectors["crm"] = new() { UnhealthyLag = TimeSpan.FromMinutes(30) });
    /// app.MapHealthChecks("/health");
    /// </code>
    /// </example>
    public static IHealthChecksBuilder AddIntegrationBusHealthChecks(this IHealthChecksBuilder builder, Action<IntegrationBusHealthCheckOptions>? configure = null, IEnumerable<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.Services.AddOptions<IntegrationBusHealthCheckOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        string[] checkTags = [.. tags ?? ["integrationbus"]];
        builder.Add(new HealthCheckRegistration(
            "integrationbus-store", sp => new StoreHealthCheck(sp.GetRequiredService<QueueMonitor>(), Options(sp)), HealthStatus.Unhealthy, checkTags));
        builder.Add(new HealthCheckRegistration(
            "integrationbus-runners", sp => new RunnersHealthCheck(sp.GetRequiredService<ConnectorRegistry>(), sp.GetRequiredService<IntegrationBusOptions>()), HealthStatus.Unhealthy, checkTags));
        builder.Add(new HealthCheckRegistration(
            "integrationbus-queues", sp => new QueuesHealthCheck(sp.GetRequiredService<ConnectorRegistry>(), sp.GetRequiredService<QueueMonitor>(), Options(sp)), HealthStatus.Unhealthy, checkTags));
        return builder;
    }

    private static IOptionsMonitor<IntegrationBusHealthCheckOptions> Options(IServiceProvider services) =>
        services.GetRequiredService<IOptionsMonitor<IntegrationBusHealthCheckOptions>>();
}
