namespace IntegrationBus;

/// <summary>What became of a change an external system sent.</summary>
public enum ExternalTaskStatus
{
    /// <summary>Queued; it is processed asynchronously.</summary>
    Queued = 0,

    /// <summary>Already queued earlier under the same idempotency key; nothing new was queued.</summary>
    Repeated = 1,

    /// <summary>No connector has the name.</summary>
    UnknownConnector = 2,

    /// <summary>The connector is disabled.</summary>
    ConnectorDisabled = 3,

    /// <summary>The bus or incoming logging is switched off.</summary>
    LoggingDisabled = 4,

    /// <summary>The connector rejected the external object.</summary>
    Rejected = 5,

    /// <summary>The site is not one of the bus's sites.</summary>
    UnknownSite = 6,

    /// <summary>The task type, data type or policy is not valid for the object.</summary>
    Invalid = 7,

    /// <summary>The object breaks a rule of the application's type model (a type, range, required field or maximum length); <see cref="ExternalTaskResult.Violation"/> says which.</summary>
    InvalidObject = 8,

    /// <summary>
    /// The Standard Webhooks message ID was already received by another connector, or with another body (a replayed or
    /// reused message); nothing was queued.
    /// </summary>
    Replayed = 9,
}
