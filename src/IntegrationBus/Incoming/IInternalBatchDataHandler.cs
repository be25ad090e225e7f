namespace IntegrationBus;

/// <summary>
/// A data handler that can also look up and apply many incoming tasks at once (one query per type for the look-ups,
/// one unit of work for the changes); the bus uses it when the handler implements it, and the plain
/// <see cref="IInternalDataHandler"/> members otherwise, so custom handlers keep working unchanged.
/// </summary>
/// <remarks>
/// A run reads up to <see cref="IntegrationBusOptions.IncomingBatchSize"/> tasks; the bus resolves their look-ups through
/// <see cref="FindObjectIdsAsync"/>, then hands the tasks that do not depend on each other to
/// <see cref="ApplyBatchAsync"/> (a task that changes or references an object an earlier task of the batch changes
/// starts a new batch). <see cref="ApplyBatchAsync"/> is all or nothing: when it throws, nothing of the batch may
/// remain applied, and the bus applies the batch's tasks one by one through <see cref="IInternalDataHandler.ApplyAsync"/>,
/// so only a task that fails on its own gets its <see cref="IncomingPolicy"/>.
/// </remarks>
public interface IInternalBatchDataHandler : IInternalDataHandler
{
    /// <summary>Finds the internal IDs of many objects; the same as <see cref="IInternalDataHandler.FindObjectIdAsync"/> for each look-up.</summary>
    /// <param name="lookups">The look-ups.</param>
    /// <param name="cancellationToken">Cancels the look-ups.</param>
    /// <returns>One ID (or <see langword="null"/> when no object matches) per look-up, in the same order.</returns>
    Task<IReadOnlyList<long?>> FindObjectIdsAsync(IReadOnlyList<ObjectLookup> lookups, CancellationToken cancellationToken);

    /// <summary>Applies tasks of one connector, in order, in one unit of work (one transaction).</summary>
    /// <param name="tasks">The tasks, their foreign keys already rewritten to internal IDs; none depends on another.</param>
    /// <param name="cancellationToken">Signalled when the bus stops or the task timeout passes.</param>
    /// <returns>A task that completes when every task is applied and committed.</returns>
    /// <exception cref="Exception">Any failure: nothing of the batch is applied, and the bus retries the tasks one by one.</exception>
    Task ApplyBatchAsync(IReadOnlyList<IncomingTask> tasks, CancellationToken cancellationToken);
}
