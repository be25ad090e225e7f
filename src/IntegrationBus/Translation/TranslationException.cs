namespace IntegrationBus;

/// <summary>A required foreign key could not be translated to the external system's ID.</summary>
/// <remarks>The task fails with this message; it is retried like any other error.</remarks>
public sealed class TranslationException : IntegrationBusException
{
    /// <summary>Creates the exception.</summary>
    public TranslationException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The object type, field and value that could not be translated.</param>
    public TranslationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">The object type, field and value that could not be translated.</param>
    /// <param name="innerException">The cause.</param>
    public TranslationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
