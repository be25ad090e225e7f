using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationBus.AspNetCore.Management;

/// <summary>Creates the registered <see cref="IAuthorizationMiddlewareResultHandler"/> and wraps it in a <see cref="ManagementAuthorizationResultHandler"/>.</summary>
internal sealed class ManagementAuthorizationResultHandlerFactory(ServiceDescriptor inner)
{
    public object Create(IServiceProvider services) => new ManagementAuthorizationResultHandler((IAuthorizationMiddlewareResultHandler)(
        inner.ImplementationInstance
        ?? inner.ImplementationFactory?.Invoke(services)
        ?? ActivatorUtilities.CreateInstance(services, inner.ImplementationType!)));
}
