namespace IntegrationBus;

/// <summary>A task payload could not be read: it is not valid version-1 JSON or names an unknown type or field.</summary>
/// <remarks>A runner parks such a task as failed (retrying cannot fix it) and goes on with the rest of the queue.</remarks>
public sealed class TaskPayloadException : IntegrationBusException
{
    /// <summary>Creates the exception.</summary>
    public TaskPayloadException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What is wrong with the payload.</param>
    public TaskPayloadException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">What is wrong with the payload.</param>
    /// <param name="innerException">The cause.</param>
    public TaskPayloadException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
