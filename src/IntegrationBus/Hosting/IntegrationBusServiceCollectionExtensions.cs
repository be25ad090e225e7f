using System.Diagnostics.Metrics;
using IntegrationBus.Diagnostics;
using IntegrationBus.Management;
using IntegrationBus.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IntegrationBus;

/// <summary>Registers IntegrationBus in a service collection.</summary>
public static class IntegrationBusServiceCollectionExtensions
{
    /// <summary>Adds the bus, its hosted runner service, its management service and validated options; safe to call more than once.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Picks the store and adds connectors and types.</param>
    /// <returns>The builder, for further configuration.</returns>
    /// <example>
    /// <code>
    /// services.AddIntegrationBus(bus => bus
    ///     .UseSqlite("Data Source=bus.db")
    ///     .AddObjectType("crm.contact", t => t.Id("ContactID").Guid("ContactGuid"))
    ///     .AddConnector&lt;CrmConnector&gt;(c => c.MaxAttempts = 20));
    /// </code>
    /// </example>
    public static IntegrationBusBuilder AddIntegrationBus(this IServiceCollection services, Action<IntegrationBusBuilder>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var builder = new IntegrationBusBuilder(services);
        services.AddLogging();
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<IntegrationBusOptions>()
            .Validate(o => o.MaxRetryDelay >= o.RetryDelay, "IntegrationBusOptions.MaxRetryDelay must not be shorter than RetryDelay.")
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<IntegrationBusOptions>, IntegrationBusOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ConnectorOptions>, ConnectorOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ConnectorOptions>, ConnectorOptionsRulesValidator>());
        AddRuntime(services);
        configure?.Invoke(builder);
        return builder;
    }

    private static void AddRuntime(IServiceCollection services)
    {
        services.TryAddSingleton(sp => new ObjectTypeRegistry(
            sp.GetServices<ObjectTypeInfo>().Concat(sp.GetServices<IObjectTypeSource>().SelectMany(source => source.GetTypes()))));
        services.TryAddSingleton(sp =>
        {
            var registry = new ConnectorRegistry(
                sp,
                sp.GetServices<ConnectorRegistration>(),
                sp.GetRequiredService<IOptionsFactory<ConnectorOptions>>(),
                sp.GetServices<IValidateOptions<ConnectorOptions>>(),
                sp.GetService<TaskStore>()?.Queue.SupportsPartitions ?? false);
            var types = sp.GetRequiredService<ObjectTypeRegistry>();
            foreach (var connector in registry.All)
            {
                connector.Connector.IdMap = new ConnectorIdMap(() => Store(sp), connector.Name, types);
            }

            return registry;
        });
        services.TryAddSingleton(sp => sp.GetRequiredService<IOptions<IntegrationBusOptions>>().Value);
        services.TryAddSingleton<BusNode>();
        services.TryAddSingleton(sp => new QueueMonitor(
            () => Store(sp), sp.GetRequiredService<IntegrationBusOptions>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<QueueMonitor>>()));
        services.TryAddSingleton(sp => new BusMetrics(sp.GetService<IMeterFactory>(), sp.GetRequiredService<QueueMonitor>()));
        services.TryAddSingleton<IncomingOrigin>();
        services.TryAddSingleton<SynchronousCalls>();
        services.TryAddSingleton(sp => new SettingsState(Store(sp), sp.GetRequiredService<ConnectorRegistry>(), sp.GetRequiredService<ILogger<SettingsState>>()));
        services.TryAddSingleton(sp => new BusStartup(
            Store(sp), sp.GetRequiredService<ConnectorRegistry>(), sp.GetRequiredService<ObjectTypeRegistry>(), sp.GetRequiredService<SettingsState>(), sp.GetRequiredService<ILogger<BusStartup>>()));
        services.TryAddSingleton(sp => new NodeChannel(
            sp.GetRequiredService<BusNode>(),
            sp.GetService<BusNotifier>() ?? Store(sp).Notifier,
            sp.GetRequiredService<ConnectorRegistry>(),
            sp.GetRequiredService<SettingsState>(),
            sp.GetRequiredService<ResyncWorker>().Signal,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<NodeChannel>>()));
        services.TryAddSingleton(sp => new ChangeLogger(
            sp.GetRequiredService<ConnectorRegistry>(),
            sp.GetRequiredService<SettingsState>(),
            sp.GetRequiredService<IncomingOrigin>(),
            new SnapshotBuilder(sp.GetRequiredService<ObjectTypeRegistry>(), sp.GetService<IObjectDataSource>(), sp.GetRequiredService<ILogger<SnapshotBuilder>>()),
            Store(sp),
            sp.GetRequiredService<SynchronousCalls>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<BusMetrics>(),
            sp.GetRequiredService<ILogger<ChangeLogger>>()));
        services.TryAddSingleton(sp => new IncomingLogger(
            sp.GetRequiredService<BusStartup>(),
            sp.GetRequiredService<ConnectorRegistry>(),
            sp.GetRequiredService<SettingsState>(),
            sp.GetRequiredService<ObjectTypeRegistry>(),
            Store(sp),
            sp.GetRequiredService<IntegrationBusOptions>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<BusMetrics>(),
            [.. sp.GetServices<IIncomingObjectValidator>()],
            sp.GetRequiredService<ILogger<IncomingLogger>>()));
        services.TryAddSingleton(sp => new IntegrationBusService(
            sp.GetRequiredService<BusStartup>(),
            sp.GetRequiredService<ChangeLogger>(),
            sp.GetRequiredService<IncomingLogger>(),
            sp.GetRequiredService<ConnectorRegistry>(),
            sp.GetRequiredService<ObjectTypeRegistry>(),
            sp.GetRequiredService<NodeChannel>(),
            sp.GetRequiredService<ILogger<IntegrationBusService>>()));
        services.TryAddSingleton(sp => new IntegrationBusManagement(
            sp.GetRequiredService<BusStartup>(),
            Store(sp),
            sp.GetRequiredService<ConnectorRegistry>(),
            sp.GetRequiredService<SettingsState>(),
            sp.GetRequiredService<NodeChannel>(),
            sp.GetRequiredService<ObjectTypeRegistry>(),
            sp.GetRequiredService<IntegrationBusOptions>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<IntegrationBusManagement>>(),
            sp.GetRequiredService<ResyncWorker>()));
        services.TryAddSingleton(sp => new ResyncWorker(
            sp.GetRequiredService<ConnectorRegistry>(),
            sp.GetRequiredService<ObjectTypeRegistry>(),
            new SnapshotBuilder(sp.GetRequiredService<ObjectTypeRegistry>(), sp.GetService<IObjectDataSource>(), sp.GetRequiredService<ILogger<SnapshotBuilder>>()),
            Store(sp),
            sp.GetService<IResyncSource>(),
            sp.GetRequiredService<BusNode>(),
            sp.GetRequiredService<IntegrationBusOptions>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<ResyncWorker>>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, IntegrationBusHostedService>(sp => new IntegrationBusHostedService(
            sp.GetRequiredService<BusStartup>(),
            sp.GetRequiredService<ConnectorRegistry>(),
            sp.GetRequiredService<ObjectTypeRegistry>(),
            Store(sp),
            sp.GetRequiredService<SettingsState>(),
            sp.GetRequiredService<NodeChannel>(),
            sp.GetRequiredService<BusNode>(),
            sp.GetRequiredService<IncomingOrigin>(),
            sp.GetRequiredService<IntegrationBusManagement>(),
            sp.GetRequiredService<ResyncWorker>(),
            sp.GetRequiredService<SynchronousCalls>(),
            sp.GetRequiredService<QueueMonitor>(),
            sp.GetRequiredService<BusMetrics>(),
            sp.GetService<IInternalDataHandler>(),
            sp.GetRequiredService<IntegrationBusOptions>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<IHostApplicationLifetime>(),
            sp.GetRequiredService<ILoggerFactory>())));
    }

    private static TaskStore Store(IServiceProvider services) =>
        services.GetService<TaskStore>()
            ?? throw new IntegrationBusException("No task store is configured. Call UseSqlite(...) (or another Use…Store) in AddIntegrationBus.");
}
