using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace IntegrationBus.EntityFrameworkCore;

/// <summary>Connects the bus to an EF Core DbContext.</summary>
public static class EntityFrameworkCoreIntegrationBusBuilderExtensions
{
    /// <summary>
    /// Derives object and page types from <typeparamref name="TContext"/>'s model for the configured entities,
    /// captures their changes on SaveChanges (add <c>UseIntegrationBus(serviceProvider)</c> to the context's options)
    /// and applies incoming tasks to them through the context.
    /// </summary>
    /// <typeparam name="TContext">The application's DbContext (registered with AddDbContext).</typeparam>
    /// <param name="builder">The bus builder.</param>
    /// <param name="configure">Says which entities are bus object types and page types.</param>
    /// <returns>The builder.</returns>
    public static IntegrationBusBuilder AddEntityFrameworkCore<TContext>(this IntegrationBusBuilder builder, Action<BusEntitiesBuilder> configure)
        where TContext : DbContext
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        var entities = new BusEntitiesBuilder();
        configure(entities);
        var services = builder.Services;
        services.TryAddSingleton(sp => new EntityModel(entities.Entities, () =>
        {
            using var scope = sp.CreateScope();
            return scope.ServiceProvider.GetRequiredService<TContext>().Model;
        }));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IObjectTypeSource, EntityModel>(sp => sp.GetRequiredService<EntityModel>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IIncomingObjectValidator, EntityModelValidator>(sp => new EntityModelValidator(sp.GetRequiredService<EntityModel>())));
        services.TryAddSingleton(sp => new IntegrationBusSaveChangesInterceptor(sp.GetRequiredService<IntegrationBusService>, sp.GetRequiredService<EntityModel>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, EntityIndexCheck>(sp => new EntityIndexCheck(sp.GetRequiredService<EntityModel>(), sp.GetRequiredService<ILogger<EntityIndexCheck>>())));
        services.TryAddSingleton<IResyncSource>(sp => new DbContextResyncSource<TContext>(sp.GetRequiredService<IServiceScopeFactory>(), sp.GetRequiredService<EntityModel>()));
        services.TryAddSingleton<IInternalDataHandler>(sp => new EntityFrameworkDataHandler<TContext>(sp.GetRequiredService<IServiceScopeFactory>(), sp.GetRequiredService<EntityModel>()));
        return builder;
    }
}
