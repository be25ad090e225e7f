using IntegrationBus.Model;

namespace IntegrationBus.Outgoing;

/// <summary>
/// The synchronous reads that EF Core's synchronous <c>SaveChanges</c> needs (its hook cannot await); every other
/// path reads through <see cref="IObjectDataSource"/>.
/// </summary>
internal interface ISynchronousObjectDataSource
{
    IReadOnlyList<BusObject> GetObjects(ObjectTypeInfo type, IReadOnlyCollection<long> ids);

    IReadOnlyList<BusObject> GetChildren(ObjectTypeInfo childType, IReadOnlyCollection<long> parentIds);
}
