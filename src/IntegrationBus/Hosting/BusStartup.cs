using IntegrationBus.Storage;
using Microsoft.Extensions.Logging;

namespace IntegrationBus;

/// <summary>
/// Makes the bus ready once per process: the schema, the connectors' rows and the stored settings. Whoever needs it
/// first starts it; nobody's cancellation stops it for the others.
/// </summary>
internal sealed class BusStartup(TaskStore store, ConnectorRegistry connectors, ObjectTypeRegistry types, SettingsState settings, ILogger<BusStartup> logger)
{
    private readonly Lock _lock = new();
    private Task? _started;

    /// <summary>Completes when the bus is ready; a failed start is tried again by the next caller.</summary>
    /// <param name="cancellationToken">Stops this caller's wait (not the start itself).</param>
    public Task EnsureStartedAsync(CancellationToken cancellationToken)
    {
        // Every logged change passes here: after a successful start, no lock.
        if (Volatile.Read(ref _started) is { IsCompletedSuccessfully: true } done)
        {
            return done;
        }

        Task started;
        lock (_lock)
        {
            if (_started is null || _started.IsFaulted || _started.IsCanceled)
            {
                // Not the caller's token: one caller giving up must not fail the start for everyone else.
                _started = StartAsync();
            }

            started = _started;
        }

        return started.WaitAsync(cancellationToken);
    }

    private async Task StartAsync()
    {
        await store.InitializeAsync(CancellationToken.None).ConfigureAwait(false);
        var states = await store.Configuration.RegisterConnectorsAsync(
            [.. connectors.All.Select(c => new ConnectorState(c.Name, c.Connector.DisplayName, true))],
            CancellationToken.None).ConfigureAwait(false);
        settings.ApplyConnectors(states);
        settings.Apply(BusSettings.FromStore(await store.Configuration.GetSettingsAsync(CancellationToken.None).ConfigureAwait(false)));
        HostingLog.BusStarted(logger, connectors.Count, types.Types.Count());
    }
}
