namespace IntegrationBus.EntityFrameworkCore;

/// <summary>A many-to-many join entity seen from one owner: its rows are that owner's bindings.</summary>
/// <param name="Join">The mapping of the join entity to its binding type.</param>
/// <param name="Owner">The owner's mapping.</param>
/// <param name="OwnerKey">The join entity's property that holds the owner's ID.</param>
internal sealed record BindingMapping(EntityMapping Join, EntityMapping Owner, string OwnerKey);
