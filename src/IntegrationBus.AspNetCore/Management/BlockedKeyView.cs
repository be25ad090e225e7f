using IntegrationBus.Storage;

namespace IntegrationBus.AspNetCore.Management;

/// <summary>One blocked key as the management API writes it: the key, its head task (flattened) and how many tasks wait behind it.</summary>
/// <param name="Connector">The connector.</param>
/// <param name="Direction">The direction of the blocked queue.</param>
/// <param name="Key">The ordering key.</param>
/// <param name="TaskId">The head task's ID.</param>
/// <param name="TaskGuid">The head task's GUID.</param>
/// <param name="TaskType">The head task's operation.</param>
/// <param name="ObjectType">The head task's object type.</param>
/// <param name="ObjectId">The head task's object ID.</param>
/// <param name="ObjectGuid">The head task's object GUID.</param>
/// <param name="ObjectDisplayName">The head task's object display name.</param>
/// <param name="Attempts">The head's failed attempts.</param>
/// <param name="LastError">The head's last error message.</param>
/// <param name="LastRunAt">When the head was last attempted.</param>
/// <param name="Waiting">How many later tasks of the key wait behind the head.</param>
internal sealed record BlockedKeyView(
    string Connector, TaskDirection Direction, string Key, long TaskId, Guid TaskGuid, TaskType TaskType, string ObjectType, long? ObjectId, Guid? ObjectGuid,
    string? ObjectDisplayName, int Attempts, string? LastError, DateTimeOffset? LastRunAt, long Waiting)
{
    public static BlockedKeyView From(BlockedKey key) => new(
        key.Connector, key.Direction, key.Key, key.Head.Id, key.Head.Guid, key.Head.TaskType, key.Head.ObjectType, key.Head.ObjectId, key.Head.ObjectGuid,
        key.Head.ObjectDisplayName, key.Attempts, key.LastError, key.LastRunAt, key.Waiting);
}
