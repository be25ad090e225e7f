using IntegrationBus.Storage;

namespace IntegrationBus.Diagnostics;

/// <summary>The queues' sizes as read from the store at one moment (for the observable metrics and the health checks).</summary>
/// <param name="Queues">Every queue the store reported.</param>
/// <param name="ReadAt">When they were read.</param>
internal sealed record QueueFigures(IReadOnlyList<QueueSummary> Queues, DateTimeOffset ReadAt)
{
    /// <summary>The age of a queue's oldest task still to deliver when the figures were read (0 when there is none).</summary>
    public TimeSpan LagOf(QueueSummary queue) =>
        queue.OldestCreatedAt is { } oldest && oldest < ReadAt ? ReadAt - oldest : TimeSpan.Zero;

    /// <summary>Finds a queue's figures; a queue the store does not report is empty.</summary>
    public QueueSummary? Find(QueueKey key)
    {
        foreach (var queue in Queues)
        {
            if (queue.Queue == key)
            {
                return queue;
            }
        }

        return null;
    }
}
