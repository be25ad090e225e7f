using IntegrationBus.AspNetCore.Management;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationBus.AspNetCore;

/// <summary>Registers the services of the IntegrationBus management API.</summary>
public static class IntegrationBusManagementServiceCollectionExtensions
{
    /// <summary>
    /// Adds what <see cref="IntegrationBusManagementEndpointRouteBuilderExtensions.MapIntegrationBusManagement"/> needs:
    /// antiforgery (<c>AddAntiforgery()</c>), authorization (<c>AddAuthorization()</c>) and problem details
    /// (<c>AddProblemDetails()</c>), and gives the management endpoints' 401 and 403 answers problem bodies; safe to call more than once.
    /// </summary>
    /// <remarks>
    /// Call <c>AddIntegrationBus</c> as well, and register the application's authentication and the policies that
    /// <see cref="IntegrationBusManagementEndpointOptions"/> names. The application's antiforgery options are left as they
    /// are; the management API reads its token from <see cref="IntegrationBusManagementEndpointOptions.AntiforgeryHeaderName"/>.
    /// </remarks>
    /// <param name="services">The service collection.</param>
    /// <returns>The service collection.</returns>
    public static IServiceCollection AddIntegrationBusManagementApi(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddAntiforgery();
        services.AddAuthorization();
        services.AddProblemDetails();
        DecorateAuthorizationResultHandler(services);
        return services;
    }

    private static void DecorateAuthorizationResultHandler(IServiceCollection services)
    {
        var existing = services.LastOrDefault(d => d.ServiceType == typeof(IAuthorizationMiddlewareResultHandler));
        if (existing is null || existing.ImplementationFactory?.Target is ManagementAuthorizationResultHandlerFactory)
        {
            return;
        }

        var factory = new ManagementAuthorizationResultHandlerFactory(existing);
        services.Add(ServiceDescriptor.Describe(typeof(IAuthorizationMiddlewareResultHandler), factory.Create, existing.Lifetime));
    }

}
