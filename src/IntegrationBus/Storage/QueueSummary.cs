using IntegrationBus.Model;

namespace IntegrationBus.Storage;

/// <summary>The size and health of one queue (connector and direction).</summary>
/// <param name="Connector">The connector.</param>
/// <param name="Direction">The direction.</param>
/// <param name="Pending">Tasks waiting.</param>
/// <param name="Errors">Tasks in error (blocking until their retry is due).</param>
/// <param name="Skipped">Tasks that failed with ErrorAndSkip.</param>
/// <param name="Failed">Tasks parked as failed.</param>
/// <param name="OldestCreatedAt">When the oldest queued task was logged, or <see langword="null"/> when empty.</param>
public sealed record QueueSummary(
    string Connector,
    TaskDirection Direction,
    long Pending,
    long Errors,
    long Skipped,
    long Failed,
    DateTimeOffset? OldestCreatedAt);
