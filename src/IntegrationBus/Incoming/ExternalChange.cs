
namespace IntegrationBus;

/// <summary>One change an external system sent, for <see cref="IntegrationBusService.ProcessExternalTasksAsync"/>.</summary>
/// <param name="ExternalObject">The external object as the connector understands it.</param>
/// <param name="TaskType">The operation.</param>
/// <param name="DataType">How much the sender included.</param>
/// <param name="Site">The site, or <see langword="null"/> for global objects.</param>
/// <param name="Policy">What a failure of the task does.</param>
/// <param name="IdempotencyKey">A key under which a repeat within the retention window queues nothing new.</param>
public sealed record ExternalChange(
    object ExternalObject,
    TaskType TaskType,
    DataType DataType,
    string? Site = null,
    IncomingPolicy Policy = IncomingPolicy.Default,
    string? IdempotencyKey = null)
{
    /// <summary>Gets the verified Standard Webhooks message this change arrived in, recorded against replays with its task.</summary>
    /// <remarks>
    /// Honoured by <see cref="IntegrationBusService.ProcessExternalChangeAsync"/> only (one change per message). With a
    /// receipt, the message ID is the idempotency key and <see cref="IdempotencyKey"/> is ignored.
    /// </remarks>
    /// <value><see langword="null"/>: not a webhook.</value>
    public Webhooks.WebhookReceipt? Webhook { get; init; }
}
