
namespace IntegrationBus;

/// <summary>
/// The synchronous reads a synchronous save hook needs (EF Core's <c>SaveChanges</c> cannot await); every other path
/// reads through <see cref="IObjectDataSource"/>. See <see cref="ChangeCapture.Write"/>.
/// </summary>
public interface ISynchronousObjectDataSource
{
    /// <summary>Reads objects of one type by ID.</summary>
    /// <param name="type">The type.</param>
    /// <param name="ids">The IDs.</param>
    /// <returns>The objects found (missing ones are left out).</returns>
    IReadOnlyList<BusObject> GetObjects(ObjectTypeInfo type, IReadOnlyCollection<long> ids);

    /// <summary>Reads the children of one child type under the given parents.</summary>
    /// <param name="childType">The child (or binding) type.</param>
    /// <param name="parentIds">The parents' IDs.</param>
    /// <returns>The children found.</returns>
    IReadOnlyList<BusObject> GetChildren(ObjectTypeInfo childType, IReadOnlyCollection<long> parentIds);
}
