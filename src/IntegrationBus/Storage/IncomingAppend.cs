namespace IntegrationBus.Storage;

/// <summary>One incoming task to append, with the sender's idempotency key.</summary>
/// <param name="Task">The task (one connector).</param>
/// <param name="IdempotencyKey">The sender's idempotency key, or <see langword="null"/>.</param>
/// <param name="NotBefore">The start of the retention window: a key used at or after it makes this a repeat.</param>
public sealed record IncomingAppend(NewIntegrationTask Task, string? IdempotencyKey, DateTimeOffset NotBefore);
