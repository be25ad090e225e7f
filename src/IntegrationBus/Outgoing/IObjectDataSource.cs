
namespace IntegrationBus;

/// <summary>
/// Reads the application's objects for the bus: the objects that foreign keys reference (for translation records)
/// and the children and bindings of an object (for Snapshots).
/// </summary>
/// <remarks>
/// Called once per unit of work and type with every ID it needs, never once per object. Without a data source,
/// translation records hold only the referenced type and ID and Snapshots carry no children.
/// </remarks>
public interface IObjectDataSource
{
    /// <summary>Reads objects of one type by ID.</summary>
    /// <param name="type">The type.</param>
    /// <param name="ids">The IDs; objects that no longer exist are left out of the result.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The objects found.</returns>
    Task<IReadOnlyList<BusObject>> GetObjectsAsync(ObjectTypeInfo type, IReadOnlyCollection<long> ids, CancellationToken cancellationToken);

    /// <summary>Reads the objects of a child (or binding) type whose parent ID field holds one of the given IDs.</summary>
    /// <param name="childType">The child or binding type.</param>
    /// <param name="parentIds">The parents' IDs.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The children of every given parent.</returns>
    Task<IReadOnlyList<BusObject>> GetChildrenAsync(ObjectTypeInfo childType, IReadOnlyCollection<long> parentIds, CancellationToken cancellationToken);
}
