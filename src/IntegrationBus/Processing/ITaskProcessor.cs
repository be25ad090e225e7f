using IntegrationBus.Storage;

namespace IntegrationBus.Processing;

/// <summary>The direction-specific part of a runner: how one task is processed and what its result means.</summary>
internal interface ITaskProcessor
{
    TaskDirection Direction { get; }

    bool IsEnabled(BusSettings settings);

    /// <summary>Starts a run (for example a fresh translation cache).</summary>
    void BeginRun();

    /// <summary>
    /// Sees the tasks of a fetched batch that the runner is about to process in order, before the first
    /// <see cref="ProcessAsync"/> of them: a processor may do work for all of them at once here (the incoming processor
    /// applies them in batches) and answer <see cref="ProcessAsync"/> from what it did.
    /// </summary>
    Task PrepareBatchAsync(IReadOnlyList<QueuedTask> tasks, CancellationToken runToken);

    /// <summary>Processes one task under the run's token (cancelled when the bus stops or the lease is lost).</summary>
    Task<TaskDecision> ProcessAsync(QueuedTask task, CancellationToken runToken);
}
