namespace IntegrationBus.Management;

/// <summary>An operator acted on a key of a connector that is not blocked (no parked, unreleased task holds it).</summary>
/// <remarks>
/// Thrown by <see cref="BlockedKeysManagement"/>: the key was never blocked, or someone retried, skipped or released its
/// head in the meantime. The HTTP management API answers 404; list the connector's blocked keys again.
/// </remarks>
public sealed class KeyNotBlockedException : IntegrationBusException
{
    /// <summary>Creates the exception.</summary>
    public KeyNotBlockedException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The connector, direction and key.</param>
    public KeyNotBlockedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">The connector, direction and key.</param>
    /// <param name="innerException">The cause.</param>
    public KeyNotBlockedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
