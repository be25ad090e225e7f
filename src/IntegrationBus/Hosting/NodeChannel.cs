using IntegrationBus.Processing;
using IntegrationBus.Storage;
using Microsoft.Extensions.Logging;

namespace IntegrationBus;

/// <summary>
/// This node's side of the <see cref="BusNotifier"/>: publishes what other nodes must know at once (operator actions,
/// settings and connector switches, started resyncs) and applies what they publish. Without a notifier, nodes rely on
/// polling.
/// </summary>
/// <remarks>It wakes this node's resync worker through the worker's signal (<see cref="ResyncWorker.Signal"/>), so the worker knows nothing of the channel.</remarks>
internal sealed class NodeChannel(
    BusNode node, BusNotifier? notifier, ConnectorRegistry connectors, SettingsState settings, AsyncSignal resyncSignal, TimeProvider time, ILogger<NodeChannel> logger)
{
    private static readonly TimeSpan RelistenDelay = TimeSpan.FromSeconds(1);

    /// <summary>Wakes the runners of a queue, a connector or every connector on this node, and on the others.</summary>
    public Task WakeEverywhereAsync(string? connector, TaskDirection? direction, CancellationToken cancellationToken)
    {
        WakeHere(connector, direction);
        return PublishAsync(new BusNotification { Kind = BusNotificationKind.QueueChanged, Connector = connector, Direction = direction }, cancellationToken);
    }

    /// <summary>Wakes runners on this node only.</summary>
    public void WakeHere(string? connector, TaskDirection? direction)
    {
        foreach (var queue in connectors.Queues)
        {
            if ((connector is null || string.Equals(queue.Connector.Name, connector, StringComparison.OrdinalIgnoreCase))
                && (direction is null || queue.Direction == direction))
            {
                queue.Wake();
            }
        }
    }

    /// <summary>Tells the other nodes; a failure is logged, never thrown (they still poll).</summary>
    public async Task PublishAsync(BusNotification notification, CancellationToken cancellationToken)
    {
        if (notifier is null)
        {
            return;
        }

        try
        {
            await notifier.PublishAsync(notification with { Sender = node.Id }, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            HostingLog.NotificationPublishFailed(logger, notification.Kind, exception);
        }
    }

    /// <summary>Listens until stopped, listening again after a delay whenever the channel fails.</summary>
    public async Task ListenAsync(CancellationToken stoppingToken)
    {
        if (notifier is null)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await notifier.ListenAsync(HandleAsync, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                HostingLog.NotificationListenFailed(logger, RelistenDelay, exception);
            }

            try
            {
                await Task.Delay(RelistenDelay, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private async ValueTask HandleAsync(BusNotification notification, CancellationToken cancellationToken)
    {
        if (notification.Sender == node.Id)
        {
            return;
        }

        try
        {
            switch (notification.Kind)
            {
                case BusNotificationKind.QueueChanged:
                    WakeHere(notification.Connector, notification.Direction);
                    break;
                case BusNotificationKind.ResyncRequested:
                    ResyncLog.RequestedByNode(logger, notification.Sender ?? "unknown");
                    resyncSignal.Set();
                    break;
                case BusNotificationKind.SettingsChanged:
                case BusNotificationKind.ConnectorsChanged:
                    await settings.RefreshAsync(cancellationToken).ConfigureAwait(false);
                    break;
            }
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            // The periodic refresh catches up.
            HostingLog.SettingsRefreshFailed(logger, exception);
        }
    }
}
