namespace IntegrationBus;

/// <summary>The names under which the bus publishes its traces and metrics, for a telemetry pipeline to listen to.</summary>
/// <remarks>
/// <para>
/// The bus uses one <see cref="System.Diagnostics.ActivitySource"/> and one <see cref="System.Diagnostics.Metrics.Meter"/>,
/// both named <see cref="Name"/>, and follows the OpenTelemetry messaging semantic conventions (<c>messaging.system</c> =
/// <see cref="MessagingSystem"/>). With OpenTelemetry, <c>AddIntegrationBusInstrumentation()</c> from the
/// IntegrationBus.OpenTelemetry package subscribes to both; without a listener neither costs more than a check.
/// </para>
/// </remarks>
public static class IntegrationBusTelemetry
{
    /// <summary>The name of the bus's <see cref="System.Diagnostics.ActivitySource"/> and <see cref="System.Diagnostics.Metrics.Meter"/>.</summary>
    public const string Name = "IntegrationBus";

    /// <summary>The value of the <c>messaging.system</c> attribute on the bus's spans and metrics.</summary>
    public const string MessagingSystem = "integrationbus";
}
