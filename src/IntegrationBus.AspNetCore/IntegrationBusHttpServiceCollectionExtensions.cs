using IntegrationBus.AspNetCore.Incoming;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace IntegrationBus.AspNetCore;

/// <summary>Registers the services of the IntegrationBus HTTP endpoints.</summary>
public static class IntegrationBusHttpServiceCollectionExtensions
{
    /// <summary>Adds the services and validated options of <see cref="IntegrationBusEndpointRouteBuilderExtensions.MapIntegrationBus"/>; safe to call more than once.</summary>
    /// <remarks>Also adds <c>AddProblemDetails()</c>, so every error is an RFC 7807 problem document. Call <c>AddIntegrationBus</c> as well.</remarks>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets credentials and limits.</param>
    /// <returns>The service collection.</returns>
    /// <example>
    /// <code>
    /// builder.Services.AddIntegrationBusHttp(http =>
    /// {
    ///     http.Connectors["crm"] = new IntegrationBusHttpCredentials { HmacSecret = builder.Configuration["Crm:HmacSecret"] };
    ///     http.Connectors["crm"].ApiKeys.Add(builder.Configuration["Crm:ApiKey"]!);
    /// });
    /// </code>
    /// </example>
    public static IServiceCollection AddIntegrationBusHttp(this IServiceCollection services, Action<IntegrationBusHttpOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<IntegrationBusHttpOptions>().ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<IntegrationBusHttpOptions>, IntegrationBusHttpOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<IntegrationBusHttpOptions>, IntegrationBusHttpCredentialsValidator>());
        services.AddProblemDetails();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ReplayCache>();
        services.TryAddSingleton<RequestAuthenticator>();
        services.TryAddSingleton<IncomingEndpoints>();
        return services;
    }
}
