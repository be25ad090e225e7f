namespace IntegrationBus;

/// <summary>The outcome of processing one task.</summary>
public enum TaskResultKind
{
    /// <summary>Processed: the task is removed from this connector's queue.</summary>
    Ok = 0,

    /// <summary>Failed: the error is recorded, a retry is scheduled and the run stops, so later tasks wait.</summary>
    Error = 1,

    /// <summary>Failed: the error is recorded, the task stays queued and the run goes on.</summary>
    ErrorAndSkip = 2,

    /// <summary>Not processed now: nothing is recorded, the task stays queued and the run goes on.</summary>
    SkipNow = 3,
}
