namespace IntegrationBus.Processing;

/// <summary>Where a queue's runner on this node is in its life.</summary>
internal enum RunnerState
{
    /// <summary>The runner has not started (the hosted service has not run yet).</summary>
    NotStarted,

    /// <summary>The runner's loop is running.</summary>
    Running,

    /// <summary>The runner's loop has ended (the bus stopped).</summary>
    Stopped,
}
