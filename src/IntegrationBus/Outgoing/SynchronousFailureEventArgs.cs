
namespace IntegrationBus;

/// <summary>Describes a synchronous connector that failed on a change.</summary>
/// <remarks>The change itself stands: a synchronous failure never rolls it back and never stops other connectors.</remarks>
public sealed class SynchronousFailureEventArgs : EventArgs
{
    internal SynchronousFailureEventArgs(string connectorName, BusObject obj, TaskType taskType, string message, Exception? exception)
    {
        ConnectorName = connectorName;
        Object = obj;
        TaskType = taskType;
        Message = message;
        Exception = exception;
    }

    /// <summary>Gets the connector that failed.</summary>
    public string ConnectorName { get; }

    /// <summary>Gets the changed object.</summary>
    public BusObject Object { get; }

    /// <summary>Gets the operation.</summary>
    public TaskType TaskType { get; }

    /// <summary>Gets the error message.</summary>
    public string Message { get; }

    /// <summary>Gets the exception the connector threw, or <see langword="null"/> when it returned an error result.</summary>
    public Exception? Exception { get; }
}
