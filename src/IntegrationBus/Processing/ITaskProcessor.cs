using IntegrationBus.Storage;

namespace IntegrationBus.Processing;

/// <summary>The direction-specific part of a runner: how one task is processed and what its result means.</summary>
internal interface ITaskProcessor
{
    TaskDirection Direction { get; }

    bool IsEnabled(BusSettings settings);

    /// <summary>Starts a run (for example a fresh translation cache).</summary>
    void BeginRun();

    /// <summary>Processes one task under the run's token (cancelled when the bus stops or the lease is lost).</summary>
    Task<TaskDecision> ProcessAsync(QueuedTask task, CancellationToken runToken);
}
