using IntegrationBus.Connectors;
using IntegrationBus.Model;
using IntegrationBus.Processing;
using IntegrationBus.Settings;
using IntegrationBus.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IntegrationBus.Hosting;

/// <summary>The shared state of one bus: store, types, connectors, settings and the runners' wake-up signals.</summary>
internal sealed class BusRuntime
{
    private readonly ILogger<BusRuntime> _logger;
    private readonly Lock _initializationLock = new();
    private readonly AsyncLocal<Connector?> _incomingOrigin = new();
    private Task? _initialization;
    private BusSettings _settings = BusSettings.Default;

    public BusRuntime(
        ITaskStore store,
        ObjectTypeRegistry types,
        ConnectorSet connectors,
        IOptions<IntegrationBusOptions> options,
        TimeProvider timeProvider,
        ILogger<BusRuntime> logger)
    {
        Store = store;
        Types = types;
        Connectors = connectors;
        Options = options.Value;
        TimeProvider = timeProvider;
        _logger = logger;
        OutgoingSignals = [.. connectors.Connectors.Select(_ => new AsyncSignal())];
        IncomingSignals = [.. connectors.Connectors.Select(_ => new AsyncSignal())];
        NodeId = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";
    }

    public ITaskStore Store { get; }

    public ObjectTypeRegistry Types { get; }

    public ConnectorSet Connectors { get; }

    public IntegrationBusOptions Options { get; }

    public TimeProvider TimeProvider { get; }

    public AsyncSignal[] OutgoingSignals { get; }

    public string NodeId { get; }

    public BusSettings Settings => Volatile.Read(ref _settings);

    /// <summary>Test hook: called when a runner starts waiting (connector name, direction, longest wait).</summary>
    public Action<string, TaskDirection, TimeSpan>? RunnerWaiting { get; set; }

    public AsyncSignal[] IncomingSignals { get; }

    public AsyncSignal GetSignal(int connectorIndex, TaskDirection direction) =>
        direction == TaskDirection.Outgoing ? OutgoingSignals[connectorIndex] : IncomingSignals[connectorIndex];

    /// <summary>Creates the schema, registers connectors and loads settings; runs once, later calls await the first.</summary>
    public Task EnsureInitializedAsync(CancellationToken cancellationToken)
    {
        // Every logged change passes here: after a successful start, no lock.
        if (Volatile.Read(ref _initialization) is { IsCompletedSuccessfully: true } done)
        {
            return done;
        }

        lock (_initializationLock)
        {
            if (_initialization is null || _initialization.IsFaulted || _initialization.IsCanceled)
            {
                _initialization = InitializeAsync(cancellationToken);
            }

            return _initialization;
        }
    }

    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        var settings = BusSettings.FromStore(await Store.GetSettingsAsync(cancellationToken).ConfigureAwait(false));
        Volatile.Write(ref _settings, settings);
        ApplyConnectorStates(await Store.GetConnectorsAsync(cancellationToken).ConfigureAwait(false));
    }

    public async Task UpdateSettingsAsync(BusSettings settings, CancellationToken cancellationToken)
    {
        await EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        foreach (var (key, value) in settings.ToStore())
        {
            await Store.SetSettingAsync(key, value, cancellationToken).ConfigureAwait(false);
        }

        Volatile.Write(ref _settings, settings);
        Log.SettingsChanged(_logger, settings);
        WakeAll();
    }

    public async Task<bool> SetConnectorEnabledAsync(string name, bool enabled, CancellationToken cancellationToken)
    {
        await EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        if (!await Store.SetConnectorEnabledAsync(name, enabled, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        if (Connectors.TryGetIndex(name, out var index))
        {
            Connectors.SetEnabled(index, enabled);
            Wake(index, direction: null);
        }

        Log.ConnectorEnabledChanged(_logger, name, enabled);
        return true;
    }

    /// <summary>Gets the connector whose incoming task is being applied in the current async flow, or <see langword="null"/>.</summary>
    public Connector? IncomingOrigin => _incomingOrigin.Value;

    /// <summary>Marks the current async flow as applying an incoming task from a connector (loop prevention).</summary>
    public IDisposable EnterIncoming(Connector origin)
    {
        var previous = _incomingOrigin.Value;
        _incomingOrigin.Value = origin;
        return new IncomingFlow(this, previous);
    }

    public void Wake(int connectorIndex, TaskDirection? direction = TaskDirection.Outgoing)
    {
        if (direction is null or TaskDirection.Outgoing)
        {
            OutgoingSignals[connectorIndex].Set();
        }

        if (direction is null or TaskDirection.Incoming)
        {
            IncomingSignals[connectorIndex].Set();
        }
    }

    public void WakeAll(TaskDirection? direction = null)
    {
        for (var i = 0; i < Connectors.Count; i++)
        {
            Wake(i, direction);
        }
    }

    private async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await Store.InitializeAsync(cancellationToken).ConfigureAwait(false);
        var states = await Store.RegisterConnectorsAsync(
            [.. Connectors.Connectors.Select(c => new ConnectorState(c.Name, c.DisplayName, true))],
            cancellationToken).ConfigureAwait(false);
        ApplyConnectorStates(states);
        var settings = BusSettings.FromStore(await Store.GetSettingsAsync(cancellationToken).ConfigureAwait(false));
        Volatile.Write(ref _settings, settings);
        Log.BusStarted(_logger, Connectors.Count, Types.Types.Count());
    }

    private void ApplyConnectorStates(IReadOnlyList<ConnectorState> states)
    {
        foreach (var state in states)
        {
            if (Connectors.TryGetIndex(state.Name, out var index))
            {
                var wasEnabled = Connectors.IsEnabled(index);
                Connectors.SetEnabled(index, state.Enabled);
                if (!wasEnabled && state.Enabled)
                {
                    Wake(index, direction: null);
                }
            }
        }
    }

    private sealed class IncomingFlow(BusRuntime runtime, Connector? previous) : IDisposable
    {
        public void Dispose() => runtime._incomingOrigin.Value = previous;
    }
}
