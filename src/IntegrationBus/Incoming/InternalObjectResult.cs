
namespace IntegrationBus;

/// <summary>What a connector makes of an external object: an internal object to queue, or a rejection with a reason.</summary>
public sealed class InternalObjectResult
{
    private InternalObjectResult(ObjectSnapshot? snapshot, string? rejection)
    {
        Snapshot = snapshot;
        Rejection = rejection;
    }

    /// <summary>Gets the internal object (foreign keys still hold external IDs), or <see langword="null"/> when rejected.</summary>
    public ObjectSnapshot? Snapshot { get; }

    /// <summary>Gets why the external object was rejected, or <see langword="null"/>.</summary>
    public string? Rejection { get; }

    /// <summary>Accepts an object.</summary>
    /// <param name="obj">The internal object; its foreign key fields hold the external system's IDs.</param>
    /// <returns>The result.</returns>
    public static InternalObjectResult Accept(BusObject obj) => new(new ObjectSnapshot(obj), null);

    /// <summary>Accepts an object with children and bindings (for a Snapshot).</summary>
    /// <param name="snapshot">The internal object with its children and bindings.</param>
    /// <returns>The result.</returns>
    public static InternalObjectResult Accept(ObjectSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return new(snapshot, null);
    }

    /// <summary>Rejects the external object; nothing is queued and the caller gets the reason.</summary>
    /// <param name="reason">Why.</param>
    /// <returns>The result.</returns>
    public static InternalObjectResult Reject(string reason)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        return new(null, reason);
    }
}
