namespace IntegrationBus.Storage;

/// <summary>The state of a resync job (stored as its integer value).</summary>
public enum ResyncJobState
{
    /// <summary>Queued or in progress: a bus node works on it from its cursor.</summary>
    Running = 0,

    /// <summary>Every matching object was queued.</summary>
    Completed = 1,

    /// <summary>An operator cancelled it; the batches done so far stay queued.</summary>
    Cancelled = 2,

    /// <summary>It cannot go on (for example its connector or type is no longer registered); see <see cref="ResyncJob.Error"/>.</summary>
    Failed = 3,
}
