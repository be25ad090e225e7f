namespace IntegrationBus;

/// <summary>How a connector receives the changes a subscription matches, from weakest to strongest.</summary>
/// <remarks>When several subscriptions of one connector match a change, the strongest mode wins.</remarks>
public enum SubscriptionMode
{
    /// <summary>Queued with the object's own fields.</summary>
    AsyncSimple = 1,

    /// <summary>Queued with the object's fields and translation records for its foreign keys.</summary>
    AsyncSimpleSnapshot = 2,

    /// <summary>Queued with children and bindings; pages are downgraded to <see cref="AsyncSimpleSnapshot"/>.</summary>
    AsyncSnapshot = 3,

    /// <summary>Called inline with the live object; not queued, so a failure loses the change for this connector.</summary>
    Sync = 4,
}
