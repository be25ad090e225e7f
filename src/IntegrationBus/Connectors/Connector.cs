using System.Globalization;

namespace IntegrationBus;

/// <summary>The base class of every connector: the code that talks to one external system.</summary>
/// <remarks>
/// Connectors are singletons created by dependency injection (constructor injection only). Under the default
/// <see cref="Ordering.Connector"/> the bus calls <see cref="ProcessOutgoingAsync"/> from one runner at a time per
/// connector, in queue order, so an implementation needs no locking for ordering. Under <see cref="Ordering.PerObject"/>
/// with <see cref="ConnectorOptions.MaxDegreeOfParallelism"/> above 1 it is called concurrently for different keys
/// (never twice at once for one key), so the implementation must be thread-safe. New capabilities arrive as virtual
/// members with safe defaults.
/// </remarks>
public abstract class Connector
{
    /// <summary>Creates the connector.</summary>
    /// <param name="name">The code name: letters, digits, '.', '_' or '-', at most 100 characters.</param>
    /// <exception cref="ArgumentException">The name is empty, too long or has other characters.</exception>
    protected Connector(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (name.Length > 100 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
        {
            throw new ArgumentException(
                $"Connector name '{name}' is not valid: use at most 100 letters, digits, '.', '_' or '-'.", nameof(name));
        }

        Name = name;
    }

    /// <summary>Gets the connector's code name, unique within the bus.</summary>
    public string Name { get; }

    /// <summary>Gets the name shown to operators.</summary>
    /// <value>The code name unless overridden.</value>
    public virtual string DisplayName => Name;

    /// <summary>Gets a value indicating whether changes applied from this connector's incoming tasks are logged as outgoing tasks for the other connectors.</summary>
    /// <remarks>The connector that sent a change never receives it back, whatever this says.</remarks>
    /// <value><see langword="false"/>: applying an incoming task logs no outgoing task.</value>
    public virtual bool RelayIncomingChanges => false;

    /// <summary>Declares which changes the connector receives and how.</summary>
    /// <param name="subscriptions">Collects the subscriptions.</param>
    protected abstract void Subscribe(SubscriptionBuilder subscriptions);

    /// <summary>Processes one queued outgoing task.</summary>
    /// <remarks>
    /// An exception counts as <see cref="TaskResult.Error(string)"/> with the exception's message. Called concurrently
    /// for different keys under <see cref="Ordering.PerObject"/> (see <see cref="ConnectorOptions.MaxDegreeOfParallelism"/>).
    /// </remarks>
    /// <param name="task">A disconnected copy of the task.</param>
    /// <param name="cancellationToken">Signalled when the bus stops.</param>
    /// <returns>The result.</returns>
    protected virtual Task<TaskResult> ProcessOutgoingAsync(OutgoingTask task, CancellationToken cancellationToken) =>
        Task.FromResult(TaskResult.Error($"Connector '{Name}' subscribes to asynchronous changes but does not override ProcessOutgoingAsync."));

    /// <summary>Processes one change inline, with the live object (subscriptions in <see cref="SubscriptionMode.Sync"/>).</summary>
    /// <remarks>A failure is logged and raised as an event; it never undoes the change or stops other connectors.</remarks>
    /// <param name="change">The change with the live object.</param>
    /// <param name="cancellationToken">The caller's token.</param>
    /// <returns>The result.</returns>
    protected virtual Task<TaskResult> ProcessSynchronousAsync(SynchronousChange change, CancellationToken cancellationToken) =>
        Task.FromResult(TaskResult.Error($"Connector '{Name}' subscribes synchronously but does not override ProcessSynchronousAsync."));

    /// <summary>Finds the external system's ID of an object that a foreign key references.</summary>
    /// <remarks>
    /// The default looks the object up (type and GUID) in this connector's ID map, which
    /// <see cref="TaskResult.OkWithExternalId"/> fills: objects the bus itself created in the external system translate
    /// with no override. Override it for objects the external system knows otherwise (by code name, say).
    /// </remarks>
    /// <param name="reference">The referenced object's translation record.</param>
    /// <param name="cancellationToken">Cancels the look-up.</param>
    /// <returns>The external ID, or <see langword="null"/> when the external system does not know the object.</returns>
    protected virtual ValueTask<ExternalId?> GetExternalObjectIdAsync(TranslationRecord reference, CancellationToken cancellationToken) =>
        IdMap is { } map ? map.FindExternalIdAsync(reference, cancellationToken) : ValueTask.FromResult<ExternalId?>(null);

    /// <summary>Finds the external system's ID of a page that a foreign key references.</summary>
    /// <remarks>The default looks the page up (type and node GUID) in this connector's ID map, like <see cref="GetExternalObjectIdAsync"/>.</remarks>
    /// <param name="reference">The referenced page's translation record (node GUID, alias path).</param>
    /// <param name="cancellationToken">Cancels the look-up.</param>
    /// <returns>The external ID, or <see langword="null"/> when the external system does not know the page.</returns>
    protected virtual ValueTask<ExternalId?> GetExternalPageIdAsync(TranslationRecord reference, CancellationToken cancellationToken) =>
        IdMap is { } map ? map.FindExternalIdAsync(reference, cancellationToken) : ValueTask.FromResult<ExternalId?>(null);

    /// <summary>Turns an object an external system sent into an internal object (its foreign keys still hold external IDs).</summary>
    /// <param name="externalObject">What the external system sent: a <see cref="System.Text.Json.JsonElement"/> over HTTP, any object in process.</param>
    /// <param name="taskType">The operation.</param>
    /// <param name="dataType">The data type the sender asked for.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The internal object, or a rejection with the reason the caller gets.</returns>
    protected virtual ValueTask<InternalObjectResult> PrepareInternalObjectAsync(object externalObject, TaskType taskType, DataType dataType, CancellationToken cancellationToken) =>
        ValueTask.FromResult(InternalObjectResult.Reject($"Connector '{Name}' does not accept incoming changes: it does not override PrepareInternalObjectAsync."));

    /// <summary>Describes the internal object an external foreign key points to, so the bus can find it (SimpleSnapshot and Snapshot).</summary>
    /// <remarks>
    /// The default finds the external ID (by its text) among this connector's ID-map entries of the referenced type and
    /// answers the mapped object's GUID (and internal ID when known); the data handler then finds the object by GUID.
    /// </remarks>
    /// <param name="reference">The key, its external ID and the referenced type.</param>
    /// <param name="cancellationToken">Cancels the look-up.</param>
    /// <returns>The record (GUID, code name, site, parent; the ID may be 0), or <see langword="null"/> when unknown.</returns>
    protected virtual ValueTask<TranslationRecord?> GetInternalObjectParamsAsync(ExternalReference reference, CancellationToken cancellationToken) =>
        IdMap is { } map ? map.FindInternalAsync(reference, cancellationToken) : ValueTask.FromResult<TranslationRecord?>(null);

    /// <summary>Describes the internal page an external foreign key points to (node GUID, alias path as code name).</summary>
    /// <remarks>The default answers from this connector's ID map, like <see cref="GetInternalObjectParamsAsync"/>.</remarks>
    /// <param name="reference">The key, its external ID and the referenced page type.</param>
    /// <param name="cancellationToken">Cancels the look-up.</param>
    /// <returns>The record, or <see langword="null"/> when unknown.</returns>
    protected virtual ValueTask<TranslationRecord?> GetInternalPageParamsAsync(ExternalReference reference, CancellationToken cancellationToken) =>
        IdMap is { } map ? map.FindInternalAsync(reference, cancellationToken) : ValueTask.FromResult<TranslationRecord?>(null);

    /// <summary>
    /// Rewrites every foreign key of the task's object (and of its children and bindings) from the internal ID to
    /// the external system's ID, using the task's translation records and
    /// <see cref="GetExternalObjectIdAsync"/> / <see cref="GetExternalPageIdAsync"/>. Look-ups are cached for the run.
    /// </summary>
    /// <param name="task">The task whose object to rewrite.</param>
    /// <param name="cancellationToken">Cancels the look-ups.</param>
    /// <returns>A task that completes when every key is rewritten.</returns>
    /// <exception cref="TranslationException">A required key has no record or no external ID; optional keys are left as they were.</exception>
    protected async Task TranslateColumnsToExternalAsync(OutgoingTask task, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(task);
        await TranslateAsync(task.Snapshot, task.Translations, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Gets or sets the ID map behind the default translation members; set once when the bus registers the connector.</summary>
    internal ConnectorIdMap? IdMap { get; set; }

    internal IReadOnlyList<Subscription> BuildSubscriptions()
    {
        var builder = new SubscriptionBuilder();
        Subscribe(builder);
        return [.. builder.Subscriptions];
    }

    internal Task<TaskResult> InvokeOutgoingAsync(OutgoingTask task, CancellationToken cancellationToken) =>
        ProcessOutgoingAsync(task, cancellationToken);

    internal ValueTask<InternalObjectResult> InvokePrepareInternalObjectAsync(object externalObject, TaskType taskType, DataType dataType, CancellationToken cancellationToken) =>
        PrepareInternalObjectAsync(externalObject, taskType, dataType, cancellationToken);

    internal ValueTask<TranslationRecord?> InvokeGetInternalParamsAsync(ExternalReference reference, CancellationToken cancellationToken) =>
        reference.ReferencedType.IsPage
            ? GetInternalPageParamsAsync(reference, cancellationToken)
            : GetInternalObjectParamsAsync(reference, cancellationToken);

    internal Task<TaskResult> InvokeSynchronousAsync(SynchronousChange change, CancellationToken cancellationToken) =>
        ProcessSynchronousAsync(change, cancellationToken);

    private async Task TranslateAsync(ObjectSnapshot snapshot, TranslationCache cache, CancellationToken cancellationToken)
    {
        var obj = snapshot.Object;
        foreach (var key in obj.Type.ForeignKeys)
        {
            var value = obj[key.Field];
            if (value is null)
            {
                continue;
            }

            if (!snapshot.References.TryGetValue(key.Field, out var reference))
            {
                if (key.IsRequired)
                {
                    throw new TranslationException(string.Create(CultureInfo.InvariantCulture,
                        $"Connector '{Name}' cannot translate required foreign key '{obj.TypeName}.{key.Field}' = {value}: the task has no translation record for it. Subscribe with a SimpleSnapshot or Snapshot mode."));
                }

                continue;
            }

            var isPage = cache.Registry.TryGet(reference.ObjectType, out var referencedType) && referencedType.IsPage;
            if (!cache.TryGet(reference, isPage, out var externalId))
            {
                externalId = isPage
                    ? await GetExternalPageIdAsync(reference, cancellationToken).ConfigureAwait(false)
                    : await GetExternalObjectIdAsync(reference, cancellationToken).ConfigureAwait(false);
                cache.Add(reference, isPage, externalId);
            }

            if (externalId is { } id)
            {
                obj[key.Field] = id.Value;
            }
            else if (key.IsRequired)
            {
                throw new TranslationException(string.Create(CultureInfo.InvariantCulture,
                    $"Connector '{Name}' cannot translate required foreign key '{obj.TypeName}.{key.Field}' = {value}: the external system has no ID for {reference.ObjectType} (GUID {reference.Guid?.ToString() ?? "none"}, code name '{reference.CodeName ?? "none"}')."));
            }
        }

        foreach (var child in snapshot.Children)
        {
            await TranslateAsync(child, cache, cancellationToken).ConfigureAwait(false);
        }

        foreach (var binding in snapshot.Bindings)
        {
            await TranslateAsync(binding, cache, cancellationToken).ConfigureAwait(false);
        }
    }
}
