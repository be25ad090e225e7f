using IntegrationBus.Diagnostics;
using IntegrationBus.Storage;
using Microsoft.Extensions.Logging;

namespace IntegrationBus.Processing;

/// <summary>What every runner of one bus shares.</summary>
/// <param name="Store">The store.</param>
/// <param name="Settings">The stored settings as this node knows them.</param>
/// <param name="Options">The start-up options.</param>
/// <param name="Time">The clock.</param>
/// <param name="Backoff">The retry back-off.</param>
/// <param name="Owner">This node's lease owner ID.</param>
/// <param name="Logger">The runners' logger.</param>
/// <param name="Metrics">The bus's instruments.</param>
/// <param name="IdleLogger">
/// The logger of the "runner idle" event alone (category <see cref="IdleCategory"/>), so a listener can switch on that
/// Debug event without switching on the per-task Debug events.
/// </param>
internal sealed record RunnerContext(TaskStore Store, SettingsState Settings, IntegrationBusOptions Options, TimeProvider Time, RetryBackoff Backoff, string Owner, ILogger Logger, BusMetrics Metrics, ILogger IdleLogger)
{
    /// <summary>The logging category of the runner-idle event.</summary>
    public const string IdleCategory = "IntegrationBus.Processing.QueueRunner.Idle";
}
