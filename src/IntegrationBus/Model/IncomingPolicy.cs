namespace IntegrationBus;

/// <summary>What happens to an incoming task that fails. Values are stored in the database and never change.</summary>
public enum IncomingPolicy
{
    /// <summary>Mark the task as an error and stop the run; it waits for an operator.</summary>
    Default = 0,

    /// <summary>Skip the task on its first pass.</summary>
    SkipOnce = 1,

    /// <summary>Record the error, keep the task and go on.</summary>
    SkipOnError = 2,

    /// <summary>Drop the task and go on.</summary>
    DeleteOnError = 3,
}
