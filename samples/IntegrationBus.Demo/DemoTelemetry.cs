using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace IntegrationBus.Demo;

/// <summary>
/// The demo's telemetry: traces and metrics through OpenTelemetry (<c>--telemetry console</c> prints them; an OTLP
/// endpoint in <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> receives them), and the bus's health checks at <c>/health</c>.
/// </summary>
public static class DemoTelemetry
{
    public static void AddDemoTelemetry(this WebApplicationBuilder builder)
    {
        builder.Services.AddHealthChecks().AddIntegrationBusHealthChecks(o => o.Defaults.DegradedLag = TimeSpan.FromSeconds(30));
        var console = string.Equals(builder.Configuration["telemetry"], "console", StringComparison.OrdinalIgnoreCase);
        var otlp = !string.IsNullOrEmpty(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        if (!console && !otlp)
        {
            return;
        }

        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("IntegrationBus.Demo"))
            .WithTracing(tracing =>
            {
                tracing.AddIntegrationBusInstrumentation().AddAspNetCoreInstrumentation().AddHttpClientInstrumentation();
                if (console)
                {
                    tracing.AddConsoleExporter();
                }

                if (otlp)
                {
                    tracing.AddOtlpExporter();
                }
            })
            .WithMetrics(metrics =>
            {
                metrics.AddIntegrationBusInstrumentation();
                if (console)
                {
                    metrics.AddConsoleExporter((_, reader) => reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = 10_000);
                }

                if (otlp)
                {
                    metrics.AddOtlpExporter();
                }
            });
    }

    /// <summary>Maps <c>/health</c>: the overall status and each check's status and description, as JSON.</summary>
    public static void MapDemoHealth(this WebApplication app) =>
        app.MapHealthChecks("/health", new HealthCheckOptions
        {
            ResultStatusCodes = { [HealthStatus.Degraded] = StatusCodes.Status200OK },
            ResponseWriter = (context, report) =>
            {
                context.Response.ContentType = "application/json";
                return context.Response.WriteAsync(JsonSerializer.Serialize(new
                {
                    status = report.Status.ToString(),
                    checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), description = e.Value.Description }),
                }));
            },
        });
}
