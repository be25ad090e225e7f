
namespace IntegrationBus;

/// <summary>A change as a synchronous connector receives it: the live object, inline, not queued.</summary>
/// <param name="Object">The live object the application passed; do not keep it past the call.</param>
/// <param name="TaskType">The operation.</param>
public sealed record SynchronousChange(BusObject Object, TaskType TaskType);
