namespace IntegrationBus;

/// <summary>Which way a task flows. Values are stored in the database and never change.</summary>
public enum TaskDirection
{
    /// <summary>From the application to an external system.</summary>
    Outgoing = 0,

    /// <summary>From an external system into the application.</summary>
    Incoming = 1,
}
