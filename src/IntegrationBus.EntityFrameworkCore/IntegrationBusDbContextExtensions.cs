using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace IntegrationBus.EntityFrameworkCore;

/// <summary>Page operations that EF Core cannot see as field changes.</summary>
public static class IntegrationBusDbContextExtensions
{
    /// <summary>
    /// Logs a page operation (publish, archive, move, delete all cultures) with the next <c>SaveChanges</c>, in its
    /// transaction. For <see cref="TaskType.DeleteAllCultures"/>, the culture rows deleted in the same SaveChanges log
    /// no separate <see cref="TaskType.DeletePage"/>.
    /// </summary>
    /// <param name="context">The context that tracks the page.</param>
    /// <param name="page">The page entity.</param>
    /// <param name="operation">PublishPage, ArchivePage, MovePage or DeleteAllCultures.</param>
    /// <exception cref="ArgumentException">The operation is not one of those.</exception>
    /// <exception cref="IntegrationBusException">The context was not set up with <c>UseIntegrationBus</c>.</exception>
    public static void LogPageOperation(this DbContext context, object page, TaskType operation)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(page);
        if (operation is not (TaskType.PublishPage or TaskType.ArchivePage or TaskType.MovePage or TaskType.DeleteAllCultures))
        {
            throw new ArgumentException($"{operation} is not a page operation that needs logging by hand; EF Core logs creates, updates and deletes itself.", nameof(operation));
        }

        var interceptor = context.GetService<IDbContextOptions>().FindExtension<CoreOptionsExtension>()?.Interceptors?
            .OfType<IntegrationBusSaveChangesInterceptor>().FirstOrDefault()
            ?? throw new IntegrationBusException($"{context.GetType().Name} does not use the bus: add UseIntegrationBus(serviceProvider) to its options.");
        interceptor.QueuePageOperation(context, page, operation);
    }
}
