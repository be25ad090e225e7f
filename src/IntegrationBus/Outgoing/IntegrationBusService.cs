using System.Data.Common;
using Microsoft.Extensions.Logging;

namespace IntegrationBus;

/// <summary>The application's entry point to the bus: log changes, open units of work, capture a data layer's changes, queue incoming changes, request processing.</summary>
/// <remarks>
/// A singleton; safe to use from any thread. Each async flow has its own ambient <see cref="IntegrationScope"/>.
/// What operators do (queues, task lists, retry, delete, connector switches, settings, retention) is on
/// <see cref="Management.IntegrationBusManagement"/>.
/// </remarks>
public sealed class IntegrationBusService
{
    private readonly AsyncLocal<IntegrationScope?> _currentScope = new();
    private readonly BusStartup _startup;
    private readonly ChangeLogger _changes;
    private readonly IncomingLogger _incoming;
    private readonly NodeChannel _channel;
    private readonly ConnectorRegistry _connectors;

    internal IntegrationBusService(BusStartup startup, ChangeLogger changes, IncomingLogger incoming, ConnectorRegistry connectors, ObjectTypeRegistry types, NodeChannel channel, ILogger<IntegrationBusService> logger)
    {
        _startup = startup;
        _changes = changes;
        _incoming = incoming;
        _connectors = connectors;
        _channel = channel;
        Types = types;
        Logger = logger;
        Connectors = [.. connectors.All.Select(c => c.Connector)];
        changes.SynchronousFailed += args => SynchronousProcessingFailed?.Invoke(this, args);
    }

    /// <summary>Raised when a synchronous connector fails on a change (the change itself stands).</summary>
    public event EventHandler<SynchronousFailureEventArgs>? SynchronousProcessingFailed;

    /// <summary>Gets the registered object and page types.</summary>
    public ObjectTypeRegistry Types { get; }

    /// <summary>Gets the registered connectors.</summary>
    public IReadOnlyList<Connector> Connectors { get; }

    /// <summary>Gets the ambient scope of the current async flow, or <see langword="null"/>.</summary>
    public IntegrationScope? CurrentScope => _currentScope.Value;

    internal ILogger Logger { get; }

    /// <summary>Begins a unit of work whose tasks are written in one batch of the store's own when it completes.</summary>
    /// <returns>The scope, now ambient for the current async flow; dispose it.</returns>
    public IntegrationScope BeginScope() => Begin(null);

    /// <summary>Begins a unit of work whose tasks are written inside the caller's transaction, so they exist if and only if it commits.</summary>
    /// <param name="transaction">An open transaction on the bus's database.</param>
    /// <returns>The scope, now ambient for the current async flow; finish it with <see cref="IntegrationScope.CommitAsync"/>, then dispose it.</returns>
    public IntegrationScope BeginScope(DbTransaction transaction)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        return Begin(transaction);
    }

    /// <summary>Begins capturing a data layer's changes, to be written in its transaction (see <see cref="ChangeCapture"/>).</summary>
    /// <returns>A new capture.</returns>
    public ChangeCapture BeginCapture() => new(_changes);

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

        var single = new IntegrationScope(this, BeginCapture(), null, null);
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
    /// <param name="cancellationToken">Cancels the call; a call cancelled while waiting for its write queues nothing.</param>
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
        _incoming.LogAsync(connectorName, new ExternalChange(externalObject, taskType, dataType, siteName, policy, idempotencyKey), cancellationToken);

    /// <summary>Queues one change an external system sent, as <see cref="ProcessExternalTaskAsync"/> does, honouring its <see cref="ExternalChange.Webhook"/>.</summary>
    /// <remarks>
    /// With a <see cref="ExternalChange.Webhook"/> receipt (a verified Standard Webhooks message), the message ID is
    /// recorded with the task in one store transaction, for every node: the same message again at the same connector is
    /// <see cref="ExternalTaskStatus.Repeated"/> with the first task; the same ID at another connector or with another body
    /// is <see cref="ExternalTaskStatus.Replayed"/> and queues nothing.
    /// </remarks>
    /// <param name="connectorName">The connector the change comes from.</param>
    /// <param name="change">The change.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Queued (with the task's ID), repeated, or why not.</returns>
    /// <exception cref="NotSupportedException">The change carries a webhook receipt and the store does not record webhook messages.</exception>
    public Task<ExternalTaskResult> ProcessExternalChangeAsync(string connectorName, ExternalChange change, CancellationToken cancellationToken = default) =>
        _incoming.LogAsync(connectorName, change, cancellationToken);

    /// <summary>Queues many changes of one connector in one store transaction (a bulk import or a catch-up after an outage).</summary>
    /// <remarks>
    /// Each change is converted and checked as by <see cref="ProcessExternalTaskAsync"/> and gets its own result, in order;
    /// refused changes queue nothing. A change carrying a <see cref="ExternalChange.Webhook"/> receipt goes through
    /// <see cref="ProcessExternalChangeAsync"/> instead.
    /// </remarks>
    /// <param name="connectorName">The connector the changes come from.</param>
    /// <param name="changes">The changes, in the order they happened.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>One result per change, in order.</returns>
    /// <exception cref="ArgumentException">A change carries a webhook receipt.</exception>
    public Task<IReadOnlyList<ExternalTaskResult>> ProcessExternalTasksAsync(string connectorName, IReadOnlyList<ExternalChange> changes, CancellationToken cancellationToken = default) =>
        _incoming.LogManyAsync(connectorName, changes, cancellationToken);

    /// <summary>Wakes the runners of one connector, or of all connectors, to process their queues now, on every node.</summary>
    /// <param name="connectorName">The connector, or <see langword="null"/> for all.</param>
    /// <param name="direction">Only this direction, or both.</param>
    /// <param name="cancellationToken">Cancels telling the other nodes (this node's runners are woken at once).</param>
    /// <returns>A task that completes when the other nodes have been told.</returns>
    /// <exception cref="ArgumentException">No connector has that name.</exception>
    public Task RequestProcessingAsync(string? connectorName = null, TaskDirection? direction = null, CancellationToken cancellationToken = default)
    {
        var name = connectorName is null ? null : _connectors.Get(connectorName, nameof(connectorName)).Name;
        return _channel.WakeEverywhereAsync(name, direction, cancellationToken);
    }

    internal Task EnsureStartedAsync(CancellationToken cancellationToken) => _startup.EnsureStartedAsync(cancellationToken);

    internal ValueTask LogIntoAsync(IntegrationScope scope, ChangeCapture capture, BusObject obj, TaskType taskType, BusObject? previous, CancellationToken cancellationToken)
    {
        var started = EnsureStartedAsync(cancellationToken);
        return started.IsCompletedSuccessfully
            ? MatchAsync(scope, capture, obj, taskType, previous, cancellationToken)
            : LogAfterStartAsync(started, scope, capture, obj, taskType, previous, cancellationToken);
    }

    internal void EndScope(IntegrationScope scope)
    {
        if (ReferenceEquals(_currentScope.Value, scope))
        {
            _currentScope.Value = scope.Outer;
        }
    }

    private ValueTask MatchAsync(IntegrationScope scope, ChangeCapture capture, BusObject obj, TaskType taskType, BusObject? previous, CancellationToken cancellationToken)
    {
        if (capture.Match(obj, taskType, previous, copy: true) is not { } synchronous)
        {
            return ValueTask.CompletedTask;
        }

        if (scope.Transaction is not null)
        {
            // On a caller's transaction, synchronous connectors wait for the commit (IntegrationScope.CommitAsync).
            capture.Defer(synchronous, obj, taskType);
            return ValueTask.CompletedTask;
        }

        return new ValueTask(_changes.CallSynchronousAsync(synchronous, obj, taskType, cancellationToken));
    }

    private async ValueTask LogAfterStartAsync(Task started, IntegrationScope scope, ChangeCapture capture, BusObject obj, TaskType taskType, BusObject? previous, CancellationToken cancellationToken)
    {
        await started.ConfigureAwait(false);
        await MatchAsync(scope, capture, obj, taskType, previous, cancellationToken).ConfigureAwait(false);
    }

    private IntegrationScope Begin(DbTransaction? transaction)
    {
        var scope = new IntegrationScope(this, BeginCapture(), transaction, _currentScope.Value);
        _currentScope.Value = scope;
        return scope;
    }
}
