namespace IntegrationBus.Storage;

/// <summary>The state of one task for one connector. Values are stored in the database and never change.</summary>
public enum SynchronizationStatus
{
    /// <summary>Waiting to be processed.</summary>
    Pending = 0,

    /// <summary>Failed with <c>Error</c>: blocks the connector's queue until its next attempt is due.</summary>
    Error = 1,

    /// <summary>Failed with <c>ErrorAndSkip</c>: retried in the next run without blocking later tasks.</summary>
    Skipped = 2,

    /// <summary>Parked after too many attempts (or an unreadable payload); waits for an operator.</summary>
    Failed = 3,
}
