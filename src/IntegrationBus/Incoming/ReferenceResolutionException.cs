namespace IntegrationBus;

/// <summary>A translation record of an incoming task matches no object of the application.</summary>
/// <remarks>The task fails with this message and its policy decides what happens next.</remarks>
public sealed class ReferenceResolutionException : IntegrationBusException
{
    /// <summary>Creates the exception.</summary>
    public ReferenceResolutionException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The reference that could not be resolved.</param>
    public ReferenceResolutionException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">The reference that could not be resolved.</param>
    /// <param name="innerException">The cause.</param>
    public ReferenceResolutionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
