
namespace IntegrationBus.Tests.Support;

/// <summary>The application's objects for snapshot tests.</summary>
public sealed class InMemoryDataSource : IObjectDataSource
{
    private readonly List<BusObject> _objects = [];

    public int Calls { get; private set; }

    public void Add(params BusObject[] objects) => _objects.AddRange(objects);

    public Task<IReadOnlyList<BusObject>> GetObjectsAsync(ObjectTypeInfo type, IReadOnlyCollection<long> ids, CancellationToken cancellationToken)
    {
        Calls++;
        return Task.FromResult<IReadOnlyList<BusObject>>([.. _objects.Where(o => o.Type == type && ids.Contains(o.Id))]);
    }

    public Task<IReadOnlyList<BusObject>> GetChildrenAsync(ObjectTypeInfo childType, IReadOnlyCollection<long> parentIds, CancellationToken cancellationToken)
    {
        Calls++;
        return Task.FromResult<IReadOnlyList<BusObject>>([.. _objects.Where(o => o.Type == childType && o.ParentId is { } p && parentIds.Contains(p))]);
    }
}
