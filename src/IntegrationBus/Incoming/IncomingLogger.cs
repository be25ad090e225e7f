using IntegrationBus.Diagnostics;
using IntegrationBus.Storage;
using IntegrationBus.Webhooks;
using Microsoft.Extensions.Logging;

namespace IntegrationBus;

/// <summary>Turns a change from an external system into a queued incoming task (DESIGN.md §5), or says why not.</summary>
internal sealed class IncomingLogger(
    BusStartup startup,
    ConnectorRegistry connectors,
    SettingsState settings,
    ObjectTypeRegistry types,
    TaskStore store,
    IntegrationBusOptions options,
    TimeProvider time,
    BusMetrics metrics,
    IReadOnlyList<IIncomingObjectValidator> validators,
    ILogger<IncomingLogger> logger)
{
    private readonly IncomingAppendBatcher _appends = new(store.Queue);

    public async Task<ExternalTaskResult> LogAsync(string connectorName, ExternalChange change, CancellationToken cancellationToken)
    {
        var (append, refused, connector) = await PrepareAsync(connectorName, change, cancellationToken).ConfigureAwait(false);
        if (append is null)
        {
            return refused!;
        }

        if (change.Webhook is { } receipt)
        {
            return await AppendWebhookAsync(append, receipt, connector!, cancellationToken).ConfigureAwait(false);
        }

        var appended = await _appends.AppendAsync(append, cancellationToken).ConfigureAwait(false);
        return Queued(append, appended, connector!);
    }

    /// <summary>Appends a verified webhook's task with its message ID, outside the group commit (one message, one transaction).</summary>
    private async Task<ExternalTaskResult> AppendWebhookAsync(IncomingAppend append, WebhookReceipt receipt, ConnectorRuntime connector, CancellationToken cancellationToken)
    {
        var webhookAppend = append with { IdempotencyKey = null, NotBefore = append.Task.CreatedAt - options.WebhookRetention };
        var appended = await store.Queue.AppendWebhookAsync(webhookAppend, receipt, cancellationToken).ConfigureAwait(false);
        switch (appended.Status)
        {
            case WebhookAppendStatus.Appended:
            case WebhookAppendStatus.Repeated:
                return Queued(append, new IncomingAppendResult(appended.TaskId, appended.TaskGuid, appended.Status == WebhookAppendStatus.Repeated), connector);
            default:
                var message = appended.Status == WebhookAppendStatus.OtherConnector
                    ? $"Webhook message '{receipt.MessageId}' was already received by another connector; a message is accepted by one connector only."
                    : $"Webhook message '{receipt.MessageId}' was already received with a different body; send every new message with a new webhook-id.";
                return Refuse(connector.Connector.Name, new(ExternalTaskStatus.Replayed, Message: message));
        }
    }

    /// <summary>Queues many changes of one connector in one store transaction (a bulk import); each gets its own result.</summary>
    public async Task<IReadOnlyList<ExternalTaskResult>> LogManyAsync(string connectorName, IReadOnlyList<ExternalChange> changes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(changes);
        if (changes.Any(c => c?.Webhook is not null))
        {
            throw new ArgumentException("A change that carries a webhook receipt is queued on its own, through ProcessExternalChangeAsync.", nameof(changes));
        }

        var results = new ExternalTaskResult[changes.Count];
        var appends = new List<(int Position, IncomingAppend Append, ConnectorRuntime Connector)>(changes.Count);
        for (var i = 0; i < changes.Count; i++)
        {
            var (append, refused, connector) = await PrepareAsync(connectorName, changes[i], cancellationToken).ConfigureAwait(false);
            if (append is null)
            {
                results[i] = refused!;
            }
            else
            {
                appends.Add((i, append, connector!));
            }
        }

        if (appends.Count > 0)
        {
            var appended = await store.Queue.AppendIncomingAsync([.. appends.Select(a => a.Append)], cancellationToken).ConfigureAwait(false);
            for (var j = 0; j < appends.Count; j++)
            {
                results[appends[j].Position] = Queued(appends[j].Append, appended[j], appends[j].Connector);
            }
        }

        return results;
    }

    private async Task<(IncomingAppend? Append, ExternalTaskResult? Refused, ConnectorRuntime? Connector)> PrepareAsync(string connectorName, ExternalChange change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connectorName);
        ArgumentNullException.ThrowIfNull(change);
        ArgumentNullException.ThrowIfNull(change.ExternalObject);
        var (externalObject, taskType, dataType, siteName, policy, idempotencyKey) = change;
        await startup.EnsureStartedAsync(cancellationToken).ConfigureAwait(false);
        if (Check(connectorName, taskType, dataType, siteName, policy, out var runtime) is { } refused)
        {
            return (null, Refuse(connectorName, refused), runtime);
        }

        var connector = runtime!.Connector;
        var now = time.GetUtcNow();
        InternalObjectResult prepared;
        try
        {
            prepared = await connector.InvokePrepareInternalObjectAsync(externalObject, taskType, dataType, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The exception stays in the result and the log; the message may travel back to the external system.
            IncomingLog.IncomingConversionFailed(logger, connectorName, exception);
            return (null, Refuse(connectorName, new(ExternalTaskStatus.Rejected, Message: $"Connector '{connectorName}' failed to convert the external object; the application log has the details.") { Exception = exception }), runtime);
        }

        if (prepared.Snapshot is not { } snapshot)
        {
            return (null, Refuse(connectorName, new(ExternalTaskStatus.Rejected, Message: prepared.Rejection ?? $"Connector '{connectorName}' returned no object.")), runtime);
        }

        var obj = snapshot.Object;
        if (obj.Type.IsPage != taskType.IsPageOperation())
        {
            return (null, Refuse(connectorName, new(ExternalTaskStatus.Invalid, Message: $"Task type {taskType} does not fit '{obj.TypeName}', which is {(obj.Type.IsPage ? "a page type" : "an object type")}.")), runtime);
        }

        if (siteName is not null && obj.Type.SiteField is { } siteField && obj[siteField] is null)
        {
            obj[siteField] = siteName;
        }

        if (Validate(snapshot, taskType, dataType == DataType.Snapshot) is { } violation)
        {
            return (null, Refuse(connectorName, new(ExternalTaskStatus.InvalidObject, Message: violation.Message) { Violation = violation }), runtime);
        }

        if (dataType == DataType.Snapshot && obj.Type.IsPage)
        {
            dataType = DataType.SimpleSnapshot;
        }

        if (dataType != DataType.Simple)
        {
            snapshot = await WithReferencesAsync(connector, snapshot, dataType == DataType.Snapshot, cancellationToken).ConfigureAwait(false);
        }

        var guid = TaskGuid.NewVersion7(now);
        var trace = BusTracing.Create([runtime], TaskDirection.Incoming, guid, obj.TypeName, taskType);
        var task = new NewIntegrationTask
        {
            Guid = guid,
            Direction = TaskDirection.Incoming,
            TaskType = taskType,
            DataType = dataType,
            ObjectType = obj.TypeName,
            ObjectId = obj.GetInt64(obj.Type.IdField),
            ObjectGuid = obj.Type.IsPage ? obj.NodeGuid ?? obj.Guid : obj.Guid,
            ObjectCodeName = obj.Type.IsPage ? obj.AliasPath ?? obj.CodeName : obj.CodeName,
            ObjectDisplayName = obj.DisplayName,
            Site = obj.Site ?? siteName,
            Payload = TaskPayload.Serialize(snapshot, dataType),
            CreatedAt = now,
            Connectors = runtime.NameAsList,
            OriginConnector = connector.Name,
            Policy = policy,
            TraceParent = trace.Parent,
            TraceState = trace.State,
        };
        return (new IncomingAppend(task, idempotencyKey, now - options.IdempotencyRetention), null, runtime);
    }

    private ExternalTaskResult Queued(IncomingAppend append, IncomingAppendResult appended, ConnectorRuntime connector)
    {
        if (!appended.Repeated)
        {
            IncomingLog.IncomingQueued(logger, appended.TaskId, connector.Name, append.Task.TaskType, append.Task.ObjectType);
            metrics.Logged(connector.Incoming, 1);
            connector.Incoming.Wake();
        }

        return new ExternalTaskResult(appended.Repeated ? ExternalTaskStatus.Repeated : ExternalTaskStatus.Queued, appended.TaskId, appended.TaskGuid);
    }

    private ExternalTaskResult? Check(string connectorName, TaskType taskType, DataType dataType, string? siteName, IncomingPolicy policy, out ConnectorRuntime? connector)
    {
        if (!connectors.TryGet(connectorName, out connector))
        {
            return new(ExternalTaskStatus.UnknownConnector, Message: $"No connector is named '{connectorName}'.");
        }

        var current = settings.Current;
        if (!current.Enabled || !current.LogIncoming)
        {
            return new(ExternalTaskStatus.LoggingDisabled, Message: current.Enabled ? "Incoming logging is switched off." : "The integration bus is switched off.");
        }

        if (!connector.Enabled)
        {
            return new(ExternalTaskStatus.ConnectorDisabled, Message: $"Connector '{connectorName}' is disabled.");
        }

        if (!taskType.IsConcrete())
        {
            return new(ExternalTaskStatus.Invalid, Message: $"Task type '{taskType}' is not a task type an external change can carry.");
        }

        if (!Enum.IsDefined(dataType))
        {
            return new(ExternalTaskStatus.Invalid, Message: $"Data type '{dataType}' is not defined.");
        }

        if (!Enum.IsDefined(policy))
        {
            return new(ExternalTaskStatus.Invalid, Message: $"Policy '{policy}' is not defined.");
        }

        var sites = options.Sites;
        if (siteName is not null && sites.Count > 0 && !sites.Contains(siteName, StringComparer.OrdinalIgnoreCase))
        {
            return new(ExternalTaskStatus.UnknownSite, Message: $"Site '{siteName}' is not one of the bus's sites ({string.Join(", ", sites)}).");
        }

        return null;
    }

    private async Task<ObjectSnapshot> WithReferencesAsync(Connector connector, ObjectSnapshot snapshot, bool withChildren, CancellationToken cancellationToken)
    {
        var obj = snapshot.Object;
        var references = new Dictionary<string, TranslationRecord>(StringComparer.Ordinal);
        foreach (var key in obj.Type.ForeignKeys)
        {
            if (obj[key.Field] is not { } externalId || !types.TryGet(key.ReferencedType, out var referencedType))
            {
                continue;
            }

            var record = await connector.InvokeGetInternalParamsAsync(new ExternalReference(obj, key.Field, externalId, referencedType), cancellationToken).ConfigureAwait(false);
            if (record is not null)
            {
                references[key.Field] = record;
            }
        }

        var children = new List<ObjectSnapshot>();
        var bindings = new List<ObjectSnapshot>();
        if (withChildren)
        {
            foreach (var child in snapshot.Children)
            {
                children.Add(await WithReferencesAsync(connector, child, false, cancellationToken).ConfigureAwait(false));
            }

            foreach (var binding in snapshot.Bindings)
            {
                bindings.Add(await WithReferencesAsync(connector, binding, false, cancellationToken).ConfigureAwait(false));
            }
        }

        return new ObjectSnapshot(obj, references, children, bindings);
    }

    /// <summary>Runs the validators over the object and, for a Snapshot, its children and bindings (which are created or updated with it).</summary>
    private ObjectViolation? Validate(ObjectSnapshot snapshot, TaskType taskType, bool withChildren)
    {
        if (validators.Count == 0 || taskType is TaskType.DeleteObject or TaskType.DeletePage or TaskType.DeleteAllCultures)
        {
            return null;
        }

        foreach (var validator in validators)
        {
            if (validator.Validate(snapshot.Object, taskType) is { } violation)
            {
                return violation;
            }
        }

        if (withChildren)
        {
            foreach (var child in snapshot.Children.Concat(snapshot.Bindings))
            {
                if (Validate(child, taskType, withChildren: false) is { } violation)
                {
                    return violation;
                }
            }
        }

        return null;
    }

    private ExternalTaskResult Refuse(string connectorName, ExternalTaskResult result)
    {
        IncomingLog.IncomingRefused(logger, connectorName, result.Status, result.Message ?? result.Status.ToString());
        return result;
    }
}
