namespace IntegrationBus;

/// <summary>
/// Supplies object and page types to the registry from somewhere other than code registration (the EF Core model,
/// say). Register implementations as <see cref="IObjectTypeSource"/> singletons; the registry reads them once, at start.
/// </summary>
public interface IObjectTypeSource
{
    /// <summary>Gets the types this source describes.</summary>
    /// <returns>The types.</returns>
    IEnumerable<ObjectTypeInfo> GetTypes();
}
