using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace IntegrationBus;

/// <summary>Subscribes OpenTelemetry to the bus's <see cref="System.Diagnostics.ActivitySource"/> and <see cref="System.Diagnostics.Metrics.Meter"/>.</summary>
public static class IntegrationBusInstrumentationExtensions
{
    /// <summary>Records the bus's spans: <c>create</c> when a change is logged, <c>process</c> per connector or data handler call (a child of the stored <c>create</c> context).</summary>
    /// <param name="builder">The tracer provider builder.</param>
    /// <returns>The builder.</returns>
    /// <example><code>services.AddOpenTelemetry().WithTracing(t => t.AddIntegrationBusInstrumentation());</code></example>
    public static TracerProviderBuilder AddIntegrationBusInstrumentation(this TracerProviderBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddSource(IntegrationBusTelemetry.Name);
    }

    /// <summary>Collects the bus's metrics: the messaging conventions' client instruments and the <c>integrationbus.*</c> instruments (queue depth and lag among them).</summary>
    /// <param name="builder">The meter provider builder.</param>
    /// <returns>The builder.</returns>
    /// <example><code>services.AddOpenTelemetry().WithMetrics(m => m.AddIntegrationBusInstrumentation());</code></example>
    public static MeterProviderBuilder AddIntegrationBusInstrumentation(this MeterProviderBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddMeter(IntegrationBusTelemetry.Name);
    }
}
