namespace IntegrationBus.Storage;

/// <summary>The result of appending an incoming task under an idempotency key.</summary>
/// <param name="TaskId">The task's ID (the earlier task's, when repeated).</param>
/// <param name="TaskGuid">The task's GUID (the earlier task's, when repeated).</param>
/// <param name="Repeated">Whether the key was already used within the retention window, so nothing new was appended.</param>
public sealed record IncomingAppendResult(long TaskId, Guid TaskGuid, bool Repeated);
