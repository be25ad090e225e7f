namespace IntegrationBus;

/// <summary>The base type of every exception that IntegrationBus throws on purpose.</summary>
/// <remarks>A message says what failed, for which connector, task or object type, and how to fix it.</remarks>
public class IntegrationBusException : Exception
{
    /// <summary>Creates an exception with no message.</summary>
    public IntegrationBusException()
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    /// <param name="message">What failed and how to fix it.</param>
    public IntegrationBusException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and the exception that caused it.</summary>
    /// <param name="message">What failed and how to fix it.</param>
    /// <param name="innerException">The cause.</param>
    public IntegrationBusException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
