namespace IntegrationBus.Storage;

/// <summary>
/// The channel between nodes: wakes runners on other nodes and spreads settings and connector switches, so that a
/// change made on one node takes effect on every node at once instead of at the next poll.
/// </summary>
/// <remarks>
/// A store supplies one through <see cref="TaskStore.Notifier"/> (PostgreSQL: LISTEN/NOTIFY); an application may
/// register its own with <c>UseNotifier</c>. Delivery is best effort: every node still polls, so a lost notification
/// only delays work. Implementations are thread-safe.
/// </remarks>
public abstract class BusNotifier
{
    /// <summary>Sends a notification to every node (this one may receive it too; <see cref="BusNotification.Sender"/> tells).</summary>
    /// <param name="notification">The notification.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the notification is sent.</returns>
    public abstract Task PublishAsync(BusNotification notification, CancellationToken cancellationToken);

    /// <summary>Receives notifications until cancelled, calling <paramref name="onNotification"/> for each, in order.</summary>
    /// <remarks>Returns when <paramref name="cancellationToken"/> is cancelled; throws when the channel fails, and the bus listens again after a delay.</remarks>
    /// <param name="onNotification">Handles one notification.</param>
    /// <param name="cancellationToken">Stops listening.</param>
    /// <returns>A task that completes when listening stops.</returns>
    public abstract Task ListenAsync(Func<BusNotification, CancellationToken, ValueTask> onNotification, CancellationToken cancellationToken);
}
