
namespace IntegrationBus;

/// <summary>What identifies an object in the application when its internal ID is unknown.</summary>
/// <param name="Type">The object type.</param>
/// <param name="Guid">Find by GUID, when set.</param>
/// <param name="CodeName">Find by code name (with <paramref name="Site"/> and <paramref name="ParentId"/>), when set.</param>
/// <param name="Site">The site the code name is unique in, or <see langword="null"/> for global objects.</param>
/// <param name="ParentId">The internal ID of the parent the code name is unique under, or <see langword="null"/>.</param>
public sealed record ObjectLookup(ObjectTypeInfo Type, Guid? Guid = null, string? CodeName = null, string? Site = null, long? ParentId = null);
