using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationBus.EntityFrameworkCore;

/// <summary>Adds the bus's change capture to a DbContext.</summary>
public static class IntegrationBusDbContextOptionsBuilderExtensions
{
    /// <summary>Adds the interceptor that logs the bus tasks of every SaveChanges in the same transaction.</summary>
    /// <param name="options">The context options.</param>
    /// <param name="services">The application's service provider (where <c>AddEntityFrameworkCore&lt;TContext&gt;</c> was called).</param>
    /// <returns>The options builder.</returns>
    /// <example><code>services.AddDbContext&lt;AppDb&gt;((sp, o) =&gt; o.UseSqlite(cs).UseIntegrationBus(sp));</code></example>
    public static DbContextOptionsBuilder UseIntegrationBus(this DbContextOptionsBuilder options, IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(services);
        var interceptor = services.GetService<IntegrationBusSaveChangesInterceptor>()
            ?? throw new IntegrationBusException("UseIntegrationBus needs the bus's EF Core integration: call AddIntegrationBus(bus => bus.AddEntityFrameworkCore<TContext>(...)).");
        return options.AddInterceptors(interceptor);
    }
}
