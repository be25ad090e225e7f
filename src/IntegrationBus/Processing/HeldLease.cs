using IntegrationBus.Storage;

namespace IntegrationBus.Processing;

/// <summary>A lease this node holds, with the local time until which it may act on it.</summary>
/// <param name="Lease">The lease as the store granted it.</param>
/// <param name="ValidUntil">The local deadline: the request's start plus the lease duration.</param>
internal sealed record HeldLease(QueueLease Lease, DateTimeOffset ValidUntil);
