namespace IntegrationBus.Model;

/// <summary>Supplies object and page types to the registry from somewhere other than code registration (the EF Core model).</summary>
internal interface IObjectTypeSource
{
    IEnumerable<ObjectTypeInfo> GetTypes();
}
