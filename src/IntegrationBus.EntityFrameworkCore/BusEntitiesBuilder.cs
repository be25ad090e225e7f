namespace IntegrationBus.EntityFrameworkCore;

/// <summary>Says which entity types of the DbContext are bus object types and page types.</summary>
public sealed class BusEntitiesBuilder
{
    internal List<EntityConfiguration> Entities { get; } = [];

    /// <summary>Makes an entity type an object type.</summary>
    /// <typeparam name="TEntity">The entity type.</typeparam>
    /// <param name="typeName">The object type name, for example <c>polls.poll</c>.</param>
    /// <param name="configure">Overrides what is derived from the model.</param>
    /// <returns>This builder.</returns>
    public BusEntitiesBuilder Object<TEntity>(string typeName, Action<BusEntityBuilder<TEntity>>? configure = null)
        where TEntity : class => Add(typeName, null, configure);

    /// <summary>Makes an entity type a page type.</summary>
    /// <typeparam name="TEntity">The entity type.</typeparam>
    /// <param name="typeName">The page type name.</param>
    /// <param name="className">The page class name that page subscriptions filter on.</param>
    /// <param name="configure">Sets the page fields (node GUID, alias path, culture, parent node, tags, categories, attachments).</param>
    /// <returns>This builder.</returns>
    public BusEntitiesBuilder Page<TEntity>(string typeName, string className, Action<BusEntityBuilder<TEntity>>? configure = null)
        where TEntity : class
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(className);
        return Add(typeName, className, configure);
    }

    private BusEntitiesBuilder Add<TEntity>(string typeName, string? className, Action<BusEntityBuilder<TEntity>>? configure)
        where TEntity : class
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(typeName);
        if (Entities.Any(e => e.ClrType == typeof(TEntity)))
        {
            throw new IntegrationBusException($"Entity '{typeof(TEntity).Name}' is configured twice. Configure each entity type once.");
        }

        var configuration = new EntityConfiguration(typeof(TEntity), typeName) { PageClassName = className };
        configure?.Invoke(new BusEntityBuilder<TEntity>(configuration));
        Entities.Add(configuration);
        return this;
    }
}
