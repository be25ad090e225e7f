
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
    string? IdempotencyKey = null);
