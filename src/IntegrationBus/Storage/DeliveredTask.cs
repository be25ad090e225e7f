namespace IntegrationBus.Storage;

/// <summary>A task a connector processed with OK, as the optional history keeps it.</summary>
public sealed record DeliveredTask
{
    /// <summary>Gets the history entry's ID; later deliveries have higher IDs.</summary>
    public required long Id { get; init; }

    /// <summary>Gets the task as it was.</summary>
    public required IntegrationTaskInfo Task { get; init; }

    /// <summary>Gets the connector that delivered it.</summary>
    public required string Connector { get; init; }

    /// <summary>Gets when it was delivered.</summary>
    public required DateTimeOffset DeliveredAt { get; init; }

    /// <summary>Gets the failed attempts before the delivery.</summary>
    public int Attempts { get; init; }

    /// <summary>Gets the payload that was delivered.</summary>
    public required string Payload { get; init; }
}
