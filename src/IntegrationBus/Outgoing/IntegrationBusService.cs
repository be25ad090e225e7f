using System.Data.Common;
using IntegrationBus.Connectors;
using IntegrationBus.Hosting;
using IntegrationBus.Incoming;
using IntegrationBus.Model;
using IntegrationBus.Settings;
using Microsoft.Extensions.Logging;

namespace IntegrationBus.Outgoing;

/// <summary>The application's entry point to the bus: log changes, open units of work, request processing, switch settings.</summary>
/// <remarks>A singleton; safe to use from any thread. Each async flow has its own ambient <see cref="IntegrationScope"/>.</remarks>
public sealed class IntegrationBusService
{
    private readonly AsyncLocal<IntegrationScope?> _currentScope = new();
    private readonly ILogger _logger;

    internal IntegrationBusService(BusRuntime runtime, IObjectDataSource? dataSource, ILoggerFactory loggerFactory)
    {
        Runtime = runtime;
        var logger = loggerFactory.CreateLogger<IntegrationBusService>();
        _logger = logger;
        Incoming = new IncomingLogger(runtime, loggerFactory.CreateLogger<IncomingLogger>());
        Logger = new ChangeLogger(
            runtime,
            new SnapshotBuilder(runtime.Types, dataSource, logger),
            logger,
            args => SynchronousProcessingFailed?.Invoke(this, args));
    }

    /// <summary>Raised when a synchronous connector fails on a change (the change itself stands).</summary>
    public event EventHandler<SynchronousFailureEventArgs>? SynchronousProcessingFailed;

    /// <summary>Gets the registered object and page types.</summary>
    public ObjectTypeRegistry Types => Runtime.Types;

    /// <summary>Gets the registered connectors.</summary>
    public IReadOnlyList<Connector> Connectors => Runtime.Connectors.Connectors;

    /// <summary>Gets the ambient scope of the current async flow, or <see langword="null"/>.</summary>
    public IntegrationScope? CurrentScope => _currentScope.Value;

    internal BusRuntime Runtime { get; }

    internal ChangeLogger Logger { get; }

    internal IncomingLogger Incoming { get; }

    /// <summary>Begins a unit of work whose tasks are written in one batch of the store's own when it completes.</summary>
    /// <returns>The scope, now ambient for the current async flow; dispose it.</returns>
    public IntegrationScope BeginScope() => Begin(null);

    /// <summary>Begins a unit of work whose tasks are written inside the caller's transaction, so they exist if and only if it commits.</summary>
    /// <param name="transaction">An open transaction on the bus's database.</param>
    /// <returns>The scope, now ambient for the current async flow; complete it before the commit, dispose it after.</returns>
    public IntegrationScope BeginScope(DbTransaction transaction)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        return Begin(transaction);
    }

    /// <summary>Logs a change into the ambient scope, or on its own (one batch of one) when there is none.</summary>
    /// <param name="obj">The changed object, after the change (before it, for a delete).</param>
    /// <param name="taskType">The operation.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the change is matched, synchronous connectors ran and, without a scope, its tasks are stored.</returns>
    /// <exception cref="ArgumentException">The task type does not fit the object.</exception>
    public ValueTask LogChangeAsync(BusObject obj, TaskType taskType, CancellationToken cancellationToken = default) =>
        LogChangeAsync(obj, taskType, previous: null, cancellationToken);

    /// <summary>Logs a change; an update whose fields equal <paramref name="previous"/> logs nothing.</summary>
    /// <param name="obj">The changed object, after the change.</param>
    /// <param name="taskType">The operation.</param>
    /// <param name="previous">The object before the change, or <see langword="null"/> when unknown.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the change is matched, synchronous connectors ran and, without a scope, its tasks are stored.</returns>
    /// <exception cref="ArgumentException">The task type does not fit the object.</exception>
    public async ValueTask LogChangeAsync(BusObject obj, TaskType taskType, BusObject? previous, CancellationToken cancellationToken = default)
    {
        if (_currentScope.Value is { } scope)
        {
            await scope.LogChangeAsync(obj, taskType, previous, cancellationToken).ConfigureAwait(false);
            return;
        }

        var single = new IntegrationScope(this, null, null);
        await single.LogChangeAsync(obj, taskType, previous, cancellationToken).ConfigureAwait(false);
        if (single.PendingCount > 0)
        {
            await single.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Queues a change an external system sent; it is always processed asynchronously (DESIGN.md §5).</summary>
    /// <remarks>
    /// The connector's <c>PrepareInternalObjectAsync</c> converts the external object; for SimpleSnapshot and Snapshot every
    /// foreign key goes through its <c>GetInternalObjectParamsAsync</c> / <c>GetInternalPageParamsAsync</c>. A refusal is
    /// returned, never swallowed: an unknown or disabled connector, logging switched off, a rejected object, an unknown
    /// site or an invalid task type each have their own <see cref="ExternalTaskStatus"/>.
    /// </remarks>
    /// <param name="connectorName">The connector the change comes from.</param>
    /// <param name="externalObject">The external object as the connector understands it.</param>
    /// <param name="taskType">The operation.</param>
    /// <param name="dataType">How much the sender included.</param>
    /// <param name="siteName">The site, or <see langword="null"/> for global objects.</param>
    /// <param name="policy">What a failure of the task does.</param>
    /// <param name="idempotencyKey">A key under which a repeat within the retention window queues nothing new.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Queued (with the task's ID), repeated, or why not.</returns>
    public Task<ExternalTaskResult> ProcessExternalTaskAsync(
        string connectorName,
        object externalObject,
        TaskType taskType,
        DataType dataType,
        string? siteName,
        IncomingPolicy policy = IncomingPolicy.Default,
        string? idempotencyKey = null,
        CancellationToken cancellationToken = default) =>
        Incoming.LogAsync(connectorName, new ExternalChange(externalObject, taskType, dataType, siteName, policy, idempotencyKey), cancellationToken);

    /// <summary>Queues many changes of one connector in one store transaction (a bulk import or a catch-up after an outage).</summary>
    /// <remarks>Each change is converted and checked as by <see cref="ProcessExternalTaskAsync"/> and gets its own result, in order; refused changes queue nothing.</remarks>
    /// <param name="connectorName">The connector the changes come from.</param>
    /// <param name="changes">The changes, in the order they happened.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>One result per change, in order.</returns>
    public Task<IReadOnlyList<ExternalTaskResult>> ProcessExternalTasksAsync(string connectorName, IReadOnlyList<ExternalChange> changes, CancellationToken cancellationToken = default) =>
        Incoming.LogManyAsync(connectorName, changes, cancellationToken);

    /// <summary>Makes a failed, skipped or parked task pending again for one connector (or all of its connectors) and wakes the runners.</summary>
    /// <param name="taskId">The task.</param>
    /// <param name="connectorName">Only this connector, or every connector of the task.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>How many synchronizations were reset.</returns>
    public async Task<int> RetryTaskAsync(long taskId, string? connectorName = null, CancellationToken cancellationToken = default)
    {
        await EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        var count = await Runtime.Store.RetryAsync(taskId, connectorName, cancellationToken).ConfigureAwait(false);
        Processing.Log.OperatorRetried(_logger, taskId, connectorName ?? "all connectors", count);
        WakeAfterOperator(connectorName);
        return count;
    }

    /// <summary>Deletes a task for one connector (or all of its connectors) and wakes the runners, so a queue blocked by it goes on.</summary>
    /// <param name="taskId">The task.</param>
    /// <param name="connectorName">Only this connector, or every connector of the task.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>How many synchronizations were deleted.</returns>
    public async Task<int> DeleteTaskAsync(long taskId, string? connectorName = null, CancellationToken cancellationToken = default)
    {
        await EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        var count = await Runtime.Store.DeleteAsync(taskId, connectorName, cancellationToken).ConfigureAwait(false);
        Processing.Log.OperatorDeleted(_logger, taskId, connectorName ?? "all connectors", count);
        WakeAfterOperator(connectorName);
        return count;
    }

    /// <summary>Wakes the runners of one connector, or of all connectors, to process their queues now.</summary>
    /// <param name="connectorName">The connector, or <see langword="null"/> for all.</param>
    /// <param name="direction">Only this direction, or both.</param>
    /// <exception cref="ArgumentException">No connector has that name.</exception>
    public void RequestProcessing(string? connectorName = null, TaskDirection? direction = null)
    {
        if (connectorName is null)
        {
            Runtime.WakeAll(direction);
            return;
        }

        if (!Runtime.Connectors.TryGetIndex(connectorName, out var index))
        {
            throw new ArgumentException($"No connector is named '{connectorName}'.", nameof(connectorName));
        }

        Runtime.Wake(index, direction);
    }

    /// <summary>Tells whether a connector is enabled.</summary>
    /// <param name="connectorName">The connector.</param>
    /// <returns><see langword="true"/> when enabled.</returns>
    /// <exception cref="ArgumentException">No connector has that name.</exception>
    public bool IsConnectorEnabled(string connectorName) =>
        Runtime.Connectors.TryGetIndex(connectorName, out var index)
            ? Runtime.Connectors.IsEnabled(index)
            : throw new ArgumentException($"No connector is named '{connectorName}'.", nameof(connectorName));

    /// <summary>Enables or disables a connector (persisted). A disabled connector gets no new tasks and its queue waits.</summary>
    /// <param name="connectorName">The connector.</param>
    /// <param name="enabled">The new state.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the state is stored.</returns>
    /// <exception cref="ArgumentException">No connector has that name.</exception>
    public async Task SetConnectorEnabledAsync(string connectorName, bool enabled, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectorName);
        if (!Runtime.Connectors.TryGetIndex(connectorName, out _)
            || !await Runtime.SetConnectorEnabledAsync(connectorName, enabled, cancellationToken).ConfigureAwait(false))
        {
            throw new ArgumentException($"No connector is named '{connectorName}'.", nameof(connectorName));
        }
    }

    /// <summary>Reads the current settings from the store.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The settings.</returns>
    public async Task<BusSettings> GetSettingsAsync(CancellationToken cancellationToken = default)
    {
        await EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        await Runtime.RefreshAsync(cancellationToken).ConfigureAwait(false);
        return Runtime.Settings;
    }

    /// <summary>Stores new settings; they take effect at once on this node and at the next sweep on others.</summary>
    /// <param name="settings">The settings.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the settings are stored.</returns>
    public Task UpdateSettingsAsync(BusSettings settings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return Runtime.UpdateSettingsAsync(settings, cancellationToken);
    }

    internal Task EnsureInitializedAsync(CancellationToken cancellationToken) => Runtime.EnsureInitializedAsync(cancellationToken);

    internal ValueTask LogIntoAsync(List<PendingChange> pending, BusObject obj, TaskType taskType, BusObject? previous, CancellationToken cancellationToken)
    {
        var initialization = EnsureInitializedAsync(cancellationToken);
        return initialization.IsCompletedSuccessfully
            ? Logger.LogAsync(pending, obj, taskType, previous, cancellationToken)
            : LogAfterAsync(initialization, pending, obj, taskType, previous, cancellationToken);
    }

    internal void EndScope(IntegrationScope scope)
    {
        if (ReferenceEquals(_currentScope.Value, scope))
        {
            _currentScope.Value = scope.Outer;
        }
    }

    private async ValueTask LogAfterAsync(Task initialization, List<PendingChange> pending, BusObject obj, TaskType taskType, BusObject? previous, CancellationToken cancellationToken)
    {
        await initialization.ConfigureAwait(false);
        await Logger.LogAsync(pending, obj, taskType, previous, cancellationToken).ConfigureAwait(false);
    }

    private void WakeAfterOperator(string? connectorName)
    {
        if (connectorName is not null && Runtime.Connectors.TryGetIndex(connectorName, out var index))
        {
            Runtime.Wake(index, direction: null);
        }
        else
        {
            Runtime.WakeAll();
        }
    }

    private IntegrationScope Begin(DbTransaction? transaction)
    {
        var scope = new IntegrationScope(this, transaction, _currentScope.Value);
        _currentScope.Value = scope;
        return scope;
    }
}
