using IntegrationBus.Connectors;
using IntegrationBus.Model;
using IntegrationBus.Outgoing;
using IntegrationBus.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IntegrationBus.Hosting;

/// <summary>Registers IntegrationBus in a service collection.</summary>
public static class IntegrationBusServiceCollectionExtensions
{
    /// <summary>Adds the bus, its hosted runner service and validated options; safe to call more than once.</summary>
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
        services.TryAddSingleton(sp => new ObjectTypeRegistry(
            sp.GetServices<ObjectTypeInfo>().Concat(sp.GetServices<IObjectTypeSource>().SelectMany(source => source.GetTypes()))));
        services.TryAddSingleton(sp => new ConnectorSet(sp.GetServices<Connector>(), sp.GetRequiredService<IOptionsMonitor<ConnectorOptions>>()));
        services.TryAddSingleton(sp => new BusRuntime(
            sp.GetService<ITaskStore>() ?? throw new IntegrationBusException("No task store is configured. Call UseSqlite(...) (or another Use…Store) in AddIntegrationBus."),
            sp.GetRequiredService<ObjectTypeRegistry>(),
            sp.GetRequiredService<ConnectorSet>(),
            sp.GetRequiredService<IOptions<IntegrationBusOptions>>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<BusRuntime>>()));
        services.TryAddSingleton(sp => new IntegrationBusService(
            sp.GetRequiredService<BusRuntime>(),
            sp.GetService<IObjectDataSource>(),
            sp.GetRequiredService<ILoggerFactory>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, IntegrationBusHostedService>(sp => new IntegrationBusHostedService(
            sp.GetRequiredService<BusRuntime>(),
            sp.GetService<Incoming.IInternalDataHandler>(),
            sp.GetRequiredService<ILoggerFactory>())));
        configure?.Invoke(builder);
        return builder;
    }
}
