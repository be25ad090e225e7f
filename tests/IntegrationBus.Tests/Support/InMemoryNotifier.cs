using System.Threading.Channels;
using IntegrationBus.Storage;

namespace IntegrationBus.Tests.Support;

/// <summary>A notifier shared by several buses in one process: what one publishes, every listener receives.</summary>
public sealed class InMemoryNotifier : BusNotifier
{
    private readonly Lock _lock = new();
    private readonly List<Channel<BusNotification>> _listeners = [];

    public override Task PublishAsync(BusNotification notification, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            foreach (var listener in _listeners)
            {
                listener.Writer.TryWrite(notification);
            }
        }

        return Task.CompletedTask;
    }

    public override async Task ListenAsync(Func<BusNotification, CancellationToken, ValueTask> onNotification, CancellationToken cancellationToken)
    {
        var channel = Channel.CreateUnbounded<BusNotification>();
        lock (_lock)
        {
            _listeners.Add(channel);
        }

        try
        {
            await foreach (var notification in channel.Reader.ReadAllAsync(cancellationToken))
            {
                await onNotification(notification, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            lock (_lock)
            {
                _listeners.Remove(channel);
            }
        }
    }
}
