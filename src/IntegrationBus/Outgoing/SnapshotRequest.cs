
namespace IntegrationBus;

/// <summary>One read for snapshots: objects of a type by ID, or children of a type by parent ID.</summary>
internal sealed record SnapshotRequest(ObjectTypeInfo Type, IReadOnlyCollection<long> Ids, bool Children);
