using System.Data.Common;
using IntegrationBus.Diagnostics;
using IntegrationBus.Storage;
using Microsoft.Extensions.Logging;

namespace IntegrationBus;

/// <summary>Matches a change against subscriptions, turns asynchronous matches into pending tasks, writes them and calls synchronous connectors.</summary>
internal sealed class ChangeLogger(
    ConnectorRegistry connectors,
    SettingsState settings,
    IncomingOrigin origin,
    SnapshotBuilder snapshots,
    TaskStore store,
    SynchronousCalls synchronousCalls,
    TimeProvider time,
    BusMetrics metrics,
    ILogger logger)
{
    private const int StackLimit = 64;

    /// <summary>Raised when a synchronous connector fails (the service turns it into its public event).</summary>
    public event Action<SynchronousFailureEventArgs>? SynchronousFailed;

    public bool IsLoggingEnabled => settings.Current.ShouldLogOutgoing;

    /// <summary>
    /// Gets a value indicating whether a change made now can log anything: logging is on and the current flow is not
    /// applying an incoming task of a connector that does not relay (whose changes <see cref="Match"/> drops).
    /// </summary>
    public bool IsCapturing => IsLoggingEnabled && origin.Current is not { Connector.RelayIncomingChanges: false };

    /// <summary>Matches a change: adds its asynchronous tasks to <paramref name="pending"/>, returns the synchronous connectors to call.</summary>
    /// <param name="pending">Receives the tasks.</param>
    /// <param name="obj">The changed object.</param>
    /// <param name="taskType">The operation.</param>
    /// <param name="previous">The object before an update, when known.</param>
    /// <param name="copy">Whether to copy <paramref name="obj"/> (the caller may change it afterwards).</param>
    public List<ConnectorRuntime>? Match(List<PendingChange> pending, BusObject obj, TaskType taskType, BusObject? previous, bool copy)
    {
        ArgumentNullException.ThrowIfNull(obj);
        CheckTaskType(obj, taskType);
        if (!IsLoggingEnabled)
        {
            return null;
        }

        if (previous is not null && taskType is TaskType.UpdateObject or TaskType.UpdatePage && obj.HasSameValues(previous))
        {
            OutgoingLog.UnchangedUpdateIgnored(logger, obj.TypeName, obj.GetInt64(obj.Type.IdField));
            return null;
        }

        var from = origin.Current;
        if (from is { Connector.RelayIncomingChanges: false })
        {
            // Applying an incoming task logs nothing unless its connector relays changes to the others.
            return null;
        }

        var modes = connectors.Count <= StackLimit ? stackalloc SubscriptionMode[connectors.Count] : new SubscriptionMode[connectors.Count];
        if (!connectors.Index.Match(obj, taskType, modes))
        {
            return null;
        }

        if (from is not null)
        {
            // The connector that sent the change never receives it back.
            modes[from.Position] = 0;
        }

        AddPending(pending, copy ? obj.Clone() : obj, taskType, modes, time.GetUtcNow());
        List<ConnectorRuntime>? synchronous = null;
        for (var i = 0; i < modes.Length; i++)
        {
            if (modes[i] == SubscriptionMode.Sync && connectors.All[i].Enabled)
            {
                (synchronous ??= []).Add(connectors.All[i]);
            }
        }

        return synchronous;
    }

    /// <summary>Builds the payloads and appends the tasks (inside the caller's transaction, or on its enlisted connection, when given).</summary>
    public async Task WriteAsync(IReadOnlyList<PendingChange> pending, DbTransaction? transaction, DbConnection? enlisted, IObjectDataSource? dataSource, CancellationToken cancellationToken)
    {
        if (pending.Count == 0)
        {
            return;
        }

        var tasks = await snapshots.BuildAsync(pending, dataSource, cancellationToken).ConfigureAwait(false);
        var started = time.GetTimestamp();
        await (enlisted is null
            ? store.Queue.AppendAsync(tasks, transaction, cancellationToken)
            : store.Queue.AppendEnlistedAsync(tasks, enlisted, cancellationToken)).ConfigureAwait(false);
        Written(pending, started);
        OutgoingLog.TasksLogged(logger, tasks.Count);
    }

    /// <summary>Writes synchronously inside the caller's transaction (or on its enlisted connection); only EF Core's synchronous <c>SaveChanges</c> needs this.</summary>
    public void Write(IReadOnlyList<PendingChange> pending, DbTransaction? transaction, DbConnection? enlisted, ISynchronousObjectDataSource? dataSource)
    {
        if (pending.Count == 0)
        {
            return;
        }

        var tasks = snapshots.Build(pending, dataSource);
        var started = time.GetTimestamp();
        _ = enlisted is null ? store.Queue.Append(tasks, transaction!) : store.Queue.AppendEnlisted(tasks, enlisted);
        Written(pending, started);
        OutgoingLog.TasksLogged(logger, tasks.Count);
    }

    /// <summary>Gets a value indicating whether the store can write tasks on a connection enlisted in an ambient System.Transactions transaction.</summary>
    public bool SupportsEnlistedAppends => store.Queue.SupportsEnlistedAppends;

    /// <summary>Wakes the outgoing runners of the connectors that got tasks.</summary>
    public static void Wake(IEnumerable<ConnectorRuntime> touched)
    {
        foreach (var connector in touched)
        {
            connector.WakeOutgoing();
        }
    }

    /// <summary>Calls synchronous connectors one after another; a failure is logged and raised, never thrown.</summary>
    public async Task CallSynchronousAsync(IReadOnlyList<ConnectorRuntime> synchronous, BusObject obj, TaskType taskType, CancellationToken cancellationToken)
    {
        foreach (var connector in synchronous)
        {
            await CallSynchronousAsync(connector, obj, taskType, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Calls synchronous connectors from a synchronous hook: a call that completes synchronously is handled at once; one
    /// that does I/O finishes later and is tracked, so stopping the bus waits for it.
    /// </summary>
    public void CallSynchronous(IReadOnlyList<ConnectorRuntime> synchronous, BusObject obj, TaskType taskType) =>
        synchronousCalls.Track(CallSynchronousAsync(synchronous, obj, taskType, CancellationToken.None));

    /// <summary>Counts the written tasks per connector (only while someone listens).</summary>
    private void Written(IReadOnlyList<PendingChange> pending, long started)
    {
        if (metrics.StoreDuration.Enabled)
        {
            metrics.StoreOperation("append", time.GetElapsedTime(started));
        }

        if (!metrics.TasksLogged.Enabled && !metrics.SentMessages.Enabled)
        {
            return;
        }

        foreach (var change in pending)
        {
            foreach (var connector in change.Connectors)
            {
                metrics.Logged(connector.Outgoing, 1);
            }
        }
    }

    private static void CheckTaskType(BusObject obj, TaskType taskType)
    {
        if (!taskType.IsConcrete())
        {
            throw new ArgumentOutOfRangeException(nameof(taskType), taskType, "A change needs a concrete task type; All is for subscriptions only.");
        }

        if (obj.Type.IsPage != taskType.IsPageOperation())
        {
            throw new ArgumentException(
                obj.Type.IsPage
                    ? $"'{obj.TypeName}' is a page type; log a page operation (CreatePage, UpdatePage, ...), not {taskType}."
                    : $"'{obj.TypeName}' is an object type; log an object operation (CreateObject, UpdateObject, ...), not {taskType}.",
                nameof(taskType));
        }
    }

    internal static DataType ToDataType(SubscriptionMode mode, bool isPage) => mode switch
    {
        SubscriptionMode.AsyncSimple => DataType.Simple,
        SubscriptionMode.AsyncSnapshot when !isPage => DataType.Snapshot,
        _ => DataType.SimpleSnapshot,
    };

    private void AddPending(List<PendingChange> pending, BusObject snapshot, TaskType taskType, ReadOnlySpan<SubscriptionMode> modes, DateTimeOffset now)
    {
        foreach (var dataType in (ReadOnlySpan<DataType>)[DataType.Simple, DataType.SimpleSnapshot, DataType.Snapshot])
        {
            List<ConnectorRuntime>? matched = null;
            for (var i = 0; i < modes.Length; i++)
            {
                if (modes[i] is not (0 or SubscriptionMode.Sync) && ToDataType(modes[i], snapshot.Type.IsPage) == dataType && connectors.All[i].Enabled)
                {
                    (matched ??= []).Add(connectors.All[i]);
                }
            }

            if (matched is not null)
            {
                var guid = TaskGuid.NewVersion7(now);
                ConnectorRuntime[] targets = [.. matched];
                var trace = BusTracing.Create(targets, TaskDirection.Outgoing, guid, snapshot.TypeName, taskType);
                pending.Add(new PendingChange(guid, snapshot, taskType, dataType, targets, now, trace));
            }
        }
    }

    private async Task CallSynchronousAsync(ConnectorRuntime connector, BusObject obj, TaskType taskType, CancellationToken cancellationToken)
    {
        TaskResult? result;
        Exception? exception = null;
        try
        {
            result = await connector.Connector.InvokeSynchronousAsync(new SynchronousChange(obj, taskType), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception caught) when (caught is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            exception = caught;
            result = TaskResult.Error(caught.Message);
        }

        result ??= TaskResult.Error($"Connector '{connector.Name}' returned no result.");
        if (result.Kind is TaskResultKind.Error or TaskResultKind.ErrorAndSkip)
        {
            var message = result.Message ?? result.Kind.ToString();
            OutgoingLog.SynchronousProcessingFailed(logger, connector.Name, taskType, obj.TypeName, obj.GetInt64(obj.Type.IdField), message, exception);
            SynchronousFailed?.Invoke(new SynchronousFailureEventArgs(connector.Name, obj, taskType, message, exception));
        }
    }
}
