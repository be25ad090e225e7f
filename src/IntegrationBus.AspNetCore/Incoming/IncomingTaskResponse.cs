namespace IntegrationBus.AspNetCore.Incoming;

/// <summary>The answer to an accepted incoming task.</summary>
/// <param name="TaskId">The queued task's ID.</param>
/// <param name="TaskGuid">The queued task's GUID.</param>
/// <param name="Status"><c>Queued</c> (202) or, for a repeated <c>Idempotency-Key</c>, <c>Repeated</c> (200) with the first task's ID.</param>
public sealed record IncomingTaskResponse(long TaskId, Guid TaskGuid, string Status);
