using IntegrationBus.Model;
using IntegrationBus.Settings;
using IntegrationBus.Storage;

namespace IntegrationBus.Processing;

/// <summary>The direction-specific part of a runner: how one task is processed and what its result means.</summary>
internal interface ITaskProcessor
{
    TaskDirection Direction { get; }

    bool IsEnabled(BusSettings settings);

    /// <summary>Starts a run (for example a fresh translation cache).</summary>
    void BeginRun();

    Task<TaskDecision> ProcessAsync(QueuedTask task, CancellationToken stoppingToken);
}
