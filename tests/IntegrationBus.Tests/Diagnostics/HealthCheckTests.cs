using IntegrationBus.Sqlite;
using IntegrationBus.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace IntegrationBus.Tests.Diagnostics;

/// <summary>The bus's health checks: store reachable, runners alive, queues within their thresholds.</summary>
public sealed class HealthCheckTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static RecordingConnector Crm() => new("crm", s => s.Objects("cms.user", SubscriptionMode.AsyncSimple));

    [Fact]
    public async Task CheckHealth_RunningBusWithEmptyQueues_IsHealthy()
    {
        await using var bus = await TestBus.StartAsync([Crm()], services: s => s.AddHealthChecks().AddIntegrationBusHealthChecks());

        var report = await bus.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(Token);

        Assert.Equal(HealthStatus.Healthy, report.Status);
        Assert.Equal(["integrationbus-queues", "integrationbus-runners", "integrationbus-store"], report.Entries.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task CheckHealth_ProducerOnly_RunnersCheckIsHealthyWithoutRunners()
    {
        await using var bus = await TestBus.StartAsync(
            [Crm()], configure: b => b.Configure(o => o.ProducerOnly = true), start: false, services: s => s.AddHealthChecks().AddIntegrationBusHealthChecks());
        foreach (var hosted in bus.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>())
        {
            await hosted.StartAsync(Token);
        }

        var report = await bus.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(Token);

        var runners = report.Entries["integrationbus-runners"];
        Assert.Equal(HealthStatus.Healthy, runners.Status);
        Assert.Contains("producer-only", runners.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckHealth_QueueBlockedByAnError_IsDegradedNamingTheConnector()
    {
        var crm = Crm();
        crm.Behaviour = _ => TaskResult.Error("CRM down");
        await using var bus = await TestBus.StartAsync([crm], services: s => s.AddHealthChecks().AddIntegrationBusHealthChecks());
        var waiting = bus.NextRunnerWaitAsync("crm");
        await bus.Bus.LogChangeAsync(SampleTypes.NewUser(1, "u1"), TaskType.CreateObject, Token);
        await waiting;

        var report = await bus.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(Token);

        Assert.Equal(HealthStatus.Degraded, report.Status);
        var queues = report.Entries["integrationbus-queues"];
        Assert.Equal(HealthStatus.Degraded, queues.Status);
        Assert.Contains("crm/outgoing: blocked by an error (1 tasks in error)", queues.Description, StringComparison.Ordinal);
        Assert.Equal(HealthStatus.Healthy, report.Entries["integrationbus-store"].Status);
    }

    [Fact]
    public async Task CheckHealth_CircuitBreakerOpen_IsDegradedNamingTheConnectorAndUntilWhen()
    {
        await using var bus = await TestBus.StartAsync([Crm()], services: s => s.AddHealthChecks().AddIntegrationBusHealthChecks());
        var until = bus.Time.GetUtcNow().AddSeconds(30);
        await bus.Store.Configuration.SetCircuitBreakerAsync(
            new() { Connector = "crm", Status = Storage.CircuitBreakerStatus.Open, ChangedAt = bus.Time.GetUtcNow(), OpenUntil = until, Reason = "CRM down" }, Token);

        var report = await bus.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(Token);

        var queues = report.Entries["integrationbus-queues"];
        Assert.Equal(HealthStatus.Degraded, queues.Status);
        Assert.Contains($"crm/outgoing: circuit breaker open until {until:O} (CRM down)", queues.Description, StringComparison.Ordinal);
        Assert.Equal("Open", queues.Data["crm/outgoing.circuitBreaker"]);
    }

    [Fact]
    public async Task CheckHealth_LagBeyondTheConnectorsUnhealthyThreshold_IsUnhealthyWithTheFigure()
    {
        var crm = Crm();
        crm.Behaviour = _ => TaskResult.Error("CRM down");
        await using var bus = await TestBus.StartAsync([crm], services: s => s.AddHealthChecks().AddIntegrationBusHealthChecks(o =>
        {
            o.Connectors["crm"] = new ConnectorHealthThresholds { BlockedStatus = HealthStatus.Healthy, UnhealthyLag = TimeSpan.FromMinutes(30) };
        }), configure: b => b.Configure(o => o.RetryDelay = o.MaxRetryDelay = TimeSpan.FromHours(1)));
        var waiting = bus.NextRunnerIdleAsync("crm");
        await bus.Bus.LogChangeAsync(SampleTypes.NewUser(1, "u1"), TaskType.CreateObject, Token);
        await waiting;
        var health = bus.Services.GetRequiredService<HealthCheckService>();
        Assert.Equal(HealthStatus.Healthy, (await health.CheckHealthAsync(Token)).Status);

        bus.Time.Advance(TimeSpan.FromMinutes(45));
        var report = await health.CheckHealthAsync(Token);

        Assert.Equal(HealthStatus.Unhealthy, report.Status);
        Assert.Equal("crm/outgoing: lag 00:45:00 (Unhealthy from 00:30:00).", report.Entries["integrationbus-queues"].Description);
    }

    [Fact]
    public async Task CheckHealth_UnreachableStore_IsUnhealthy()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"ibus-missing-{Guid.NewGuid():N}", "bus.db");
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddIntegrationBus(b => b.UseSqlite($"Data Source={missing};Mode=ReadWrite").AddObjectType(SampleTypes.User).AddConnector(Crm()));
        services.AddHealthChecks().AddIntegrationBusHealthChecks();
        await using var provider = services.BuildServiceProvider();

        var report = await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync(Token);

        Assert.Equal(HealthStatus.Unhealthy, report.Status);
        var store = report.Entries["integrationbus-store"];
        Assert.Equal(HealthStatus.Unhealthy, store.Status);
        Assert.StartsWith("The task store could not be read: ", store.Description, StringComparison.Ordinal);
        Assert.Equal(HealthStatus.Unhealthy, report.Entries["integrationbus-runners"].Status);
    }

    [Fact]
    public async Task CheckHealth_RunnersStopped_IsUnhealthy()
    {
        await using var bus = await TestBus.StartAsync([Crm()], services: s => s.AddHealthChecks().AddIntegrationBusHealthChecks());
        await bus.StopHostAsync();

        var report = await bus.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(Token);

        var runners = report.Entries["integrationbus-runners"];
        Assert.Equal(HealthStatus.Unhealthy, runners.Status);
        Assert.Contains("the runner of crm/outgoing has stopped", runners.Description, StringComparison.Ordinal);
    }
}
