using IntegrationBus.Storage;

namespace IntegrationBus.Cli.Client;

/// <summary>One blocked key in the management API's shape: the key, its head task (flattened) and how many tasks wait behind it.</summary>
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
internal sealed record BlockedKeyRow(
    string Connector, TaskDirection Direction, string Key, long TaskId, Guid TaskGuid, TaskType TaskType, string ObjectType, long? ObjectId, Guid? ObjectGuid,
    string? ObjectDisplayName, int Attempts, string? LastError, DateTimeOffset? LastRunAt, long Waiting)
{
    /// <summary>Converts a blocked key of the store.</summary>
    public static BlockedKeyRow From(BlockedKey key) => new(
        key.Connector, key.Direction, key.Key, key.Head.Id, key.Head.Guid, key.Head.TaskType, key.Head.ObjectType, key.Head.ObjectId, key.Head.ObjectGuid,
        key.Head.ObjectDisplayName, key.Attempts, key.LastError, key.LastRunAt, key.Waiting);
}
