namespace IntegrationBus.Demo.Scenario;

/// <summary>One change as a target received it: the idempotency key, the object and the change's sequence for that object.</summary>
public sealed record Delivery(string Key, string ObjectKey, long Sequence)
{
    /// <summary>The sequence of a delete: after every other change of the object.</summary>
    public const long Deleted = long.MaxValue;

    /// <summary>Versions count changes; a page publish comes right after the version it published.</summary>
    public static long SequenceOf(long version, bool publish = false) => (version * 2) + (publish ? 1 : 0);
}
