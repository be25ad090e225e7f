using IntegrationBus.Storage;
using Microsoft.Extensions.Logging;

namespace IntegrationBus;

/// <summary>The stored settings and connector switches as this node knows them; reloaded when another node changes them.</summary>
internal sealed class SettingsState(TaskStore store, ConnectorRegistry connectors, ILogger<SettingsState> logger)
{
    private BusSettings _current = BusSettings.Default;

    /// <summary>Gets the settings in effect on this node.</summary>
    public BusSettings Current => Volatile.Read(ref _current);

    /// <summary>Reloads the settings and the connectors' enabled switches from the store.</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        Apply(BusSettings.FromStore(await store.Configuration.GetSettingsAsync(cancellationToken).ConfigureAwait(false)));
        ApplyConnectors(await store.Configuration.GetConnectorsAsync(cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Stores new settings and applies them on this node.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A retention period is not positive.</exception>
    public async Task SaveAsync(BusSettings settings, CancellationToken cancellationToken)
    {
        settings.Validate();
        await store.Configuration.SetSettingsAsync(settings.ToStore(), cancellationToken).ConfigureAwait(false);
        Apply(settings);
    }

    /// <summary>Applies settings; when they changed, every runner is woken so that a switch turned on takes effect at once.</summary>
    public void Apply(BusSettings settings)
    {
        var previous = Interlocked.Exchange(ref _current, settings);
        if (previous != settings)
        {
            HostingLog.SettingsChanged(logger, settings);
            foreach (var queue in connectors.Queues)
            {
                queue.Wake();
            }
        }
    }

    /// <summary>Applies stored connector switches; a connector switched on has its runners woken.</summary>
    public void ApplyConnectors(IReadOnlyList<ConnectorState> states)
    {
        foreach (var state in states)
        {
            if (!connectors.TryGet(state.Name, out var connector) || connector.Enabled == state.Enabled)
            {
                continue;
            }

            connector.Enabled = state.Enabled;
            HostingLog.ConnectorEnabledChanged(logger, state.Name, state.Enabled);
            if (state.Enabled)
            {
                connector.WakeOutgoing();
                connector.Incoming.Wake();
            }
        }
    }
}
