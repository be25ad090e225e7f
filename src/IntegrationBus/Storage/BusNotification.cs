
namespace IntegrationBus.Storage;

/// <summary>One message between nodes.</summary>
public sealed record BusNotification
{
    /// <summary>Gets what happened.</summary>
    public required BusNotificationKind Kind { get; init; }

    /// <summary>Gets the connector concerned, or <see langword="null"/> for all.</summary>
    public string? Connector { get; init; }

    /// <summary>Gets the direction concerned, or <see langword="null"/> for both.</summary>
    public TaskDirection? Direction { get; init; }

    /// <summary>Gets the ID of the node that sent it, or <see langword="null"/> when sent from outside a bus (a database trigger, say).</summary>
    public string? Sender { get; init; }
}
