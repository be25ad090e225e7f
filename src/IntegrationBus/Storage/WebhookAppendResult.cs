namespace IntegrationBus.Storage;

/// <summary>The result of <see cref="QueueStore.AppendWebhookAsync"/>.</summary>
/// <param name="Status">Whether the task was appended, repeated or refused.</param>
/// <param name="TaskId">The task's ID (the first task's, when repeated); 0 when refused.</param>
/// <param name="TaskGuid">The task's GUID (the first task's, when repeated); <see cref="Guid.Empty"/> when refused.</param>
public sealed record WebhookAppendResult(WebhookAppendStatus Status, long TaskId, Guid TaskGuid);
