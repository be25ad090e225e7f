using IntegrationBus.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace IntegrationBus;

/// <summary>Configures the bus: <c>Use…</c> picks the one implementation (the store), <c>Add…</c> appends (connectors, types).</summary>
public sealed class IntegrationBusBuilder
{
    internal IntegrationBusBuilder(IServiceCollection services) => Services = services;

    /// <summary>Gets the service collection the bus is registered in.</summary>
    public IServiceCollection Services { get; }

    /// <summary>Uses a task store; the last call wins.</summary>
    /// <param name="factory">Creates the store (a singleton).</param>
    /// <returns>This builder.</returns>
    public IntegrationBusBuilder UseStore(Func<IServiceProvider, TaskStore> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        Services.Replace(ServiceDescriptor.Singleton(factory));
        return this;
    }

    /// <summary>Uses a data source that reads referenced objects and children for snapshots; the last call wins.</summary>
    /// <typeparam name="TDataSource">The data source type (a singleton).</typeparam>
    /// <returns>This builder.</returns>
    public IntegrationBusBuilder UseObjectDataSource<TDataSource>()
        where TDataSource : class, IObjectDataSource
    {
        Services.Replace(ServiceDescriptor.Singleton<IObjectDataSource, TDataSource>());
        return this;
    }

    /// <summary>Uses a data handler that applies incoming tasks to the application's data; the last call wins.</summary>
    /// <remarks>The handler is one singleton, resolvable both as <typeparamref name="THandler"/> and as <see cref="IInternalDataHandler"/>.</remarks>
    /// <typeparam name="THandler">The handler type (a singleton).</typeparam>
    /// <returns>This builder.</returns>
    public IntegrationBusBuilder UseInternalDataHandler<THandler>()
        where THandler : class, IInternalDataHandler
    {
        Services.TryAddSingleton<THandler>();
        Services.Replace(ServiceDescriptor.Singleton<IInternalDataHandler>(sp => sp.GetRequiredService<THandler>()));
        return this;
    }

    /// <summary>Adds a validator that checks every incoming object before its task is queued (see <see cref="IIncomingObjectValidator"/>); validators add up.</summary>
    /// <remarks>A refused object answers <see cref="ExternalTaskStatus.InvalidObject"/> (422 over HTTP) and queues nothing.</remarks>
    /// <typeparam name="TValidator">The validator type (a singleton created with constructor injection).</typeparam>
    /// <returns>This builder.</returns>
    public IntegrationBusBuilder AddIncomingObjectValidator<TValidator>()
        where TValidator : class, IIncomingObjectValidator
    {
        Services.TryAddEnumerable(ServiceDescriptor.Singleton<IIncomingObjectValidator, TValidator>());
        return this;
    }

    /// <summary>Adds a connector (a singleton created with constructor injection).</summary>
    /// <typeparam name="TConnector">The connector type.</typeparam>
    /// <param name="configure">Sets this connector's options (after named options of its code name, if any).</param>
    /// <returns>This builder.</returns>
    public IntegrationBusBuilder AddConnector<TConnector>(Action<ConnectorOptions>? configure = null)
        where TConnector : Connector
    {
        Services.TryAddSingleton<TConnector>();
        Services.AddSingleton(new ConnectorRegistration(sp => sp.GetRequiredService<TConnector>(), configure));
        return this;
    }

    /// <summary>Adds a connector instance that the application created itself.</summary>
    /// <param name="connector">The connector.</param>
    /// <param name="configure">Sets this connector's options (after named options of its code name, if any); another instance of the same class has its own.</param>
    /// <returns>This builder.</returns>
    public IntegrationBusBuilder AddConnector(Connector connector, Action<ConnectorOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(connector);
        Services.AddSingleton(new ConnectorRegistration(_ => connector, configure));
        return this;
    }

    /// <summary>Adds one webhook connector per entry of a configuration section: each task is POSTed as JSON signed by the Standard Webhooks specification.</summary>
    /// <remarks>
    /// Each entry's key is the connector's code name and its value a <see cref="Webhooks.WebhookConnectorOptions"/> (URL, secrets,
    /// subscriptions, timeout, headers, <c>AllowPrivateNetwork</c>) plus, if wanted, the <see cref="ConnectorOptions"/> keys
    /// (<c>MaxAttempts</c>, <c>TaskTimeout</c>, <c>Ordering</c>, <c>MaxDegreeOfParallelism</c>). The section is read once; the options are validated when the bus starts, and a
    /// failure names the connector and the key. An empty or missing section adds nothing.
    /// </remarks>
    /// <param name="section">The section, for example <c>configuration.GetSection("IntegrationBus:Webhooks")</c>.</param>
    /// <returns>This builder.</returns>
    /// <example>
    /// <code>
    /// services.AddIntegrationBus(bus => bus
    ///     .UseSqlite("Data Source=bus.db")
    ///     .AddWebhookConnectors(configuration.GetSection("IntegrationBus:Webhooks")));
    /// </code>
    /// </example>
    public IntegrationBusBuilder AddWebhookConnectors(IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(section);
        Webhooks.WebhookRegistration.Add(Services, section);
        return this;
    }

    /// <summary>Uses a notifier between nodes instead of the store's own (<see cref="TaskStore.Notifier"/>); the last call wins.</summary>
    /// <param name="factory">Creates the notifier (a singleton).</param>
    /// <returns>This builder.</returns>
    public IntegrationBusBuilder UseNotifier(Func<IServiceProvider, BusNotifier> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        Services.Replace(ServiceDescriptor.Singleton(factory));
        return this;
    }

    /// <summary>Adds an object or page type.</summary>
    /// <param name="type">The type.</param>
    /// <returns>This builder.</returns>
    public IntegrationBusBuilder AddObjectType(ObjectTypeInfo type)
    {
        ArgumentNullException.ThrowIfNull(type);
        Services.AddSingleton(type);
        return this;
    }

    /// <summary>Adds an object or page type described fluently.</summary>
    /// <param name="name">The type name.</param>
    /// <param name="configure">Describes the type.</param>
    /// <returns>This builder.</returns>
    public IntegrationBusBuilder AddObjectType(string name, Action<ObjectTypeBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var builder = new ObjectTypeBuilder(name);
        configure(builder);
        return AddObjectType(builder.Build());
    }

    /// <summary>Sets the bus options.</summary>
    /// <param name="configure">Changes the options.</param>
    /// <returns>This builder.</returns>
    public IntegrationBusBuilder Configure(Action<IntegrationBusOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        Services.Configure(configure);
        return this;
    }
}
