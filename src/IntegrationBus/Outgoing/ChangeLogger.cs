using System.Data.Common;
using IntegrationBus.Connectors;
using IntegrationBus.Hosting;
using IntegrationBus.Model;
using IntegrationBus.Subscriptions;
using Microsoft.Extensions.Logging;

namespace IntegrationBus.Outgoing;

/// <summary>Matches a change against subscriptions, calls synchronous connectors and turns asynchronous matches into pending tasks.</summary>
internal sealed class ChangeLogger(BusRuntime runtime, SnapshotBuilder snapshots, ILogger logger, Action<SynchronousFailureEventArgs> onSynchronousFailure)
{
    private const int StackLimit = 64;

    public ValueTask LogAsync(List<PendingChange> pending, BusObject obj, TaskType taskType, BusObject? previous, CancellationToken cancellationToken)
    {
        var synchronous = Collect(pending, obj, taskType, previous);
        return synchronous is null ? ValueTask.CompletedTask : CallSynchronousAsync(synchronous, obj, taskType, cancellationToken);
    }

    /// <summary>Matches a change: adds its asynchronous tasks to <paramref name="pending"/>, returns the synchronous connectors to call.</summary>
    /// <param name="pending">Receives the tasks.</param>
    /// <param name="obj">The changed object.</param>
    /// <param name="taskType">The operation.</param>
    /// <param name="previous">The object before an update, when known.</param>
    /// <param name="owned">Whether <paramref name="obj"/> is the bus's own copy (EF Core builds a fresh one), so it need not be copied again.</param>
    public List<Connector>? Collect(List<PendingChange> pending, BusObject obj, TaskType taskType, BusObject? previous, bool owned = false)
    {
        ArgumentNullException.ThrowIfNull(obj);
        CheckTaskType(obj, taskType);
        if (!runtime.Settings.ShouldLogOutgoing)
        {
            return null;
        }

        if (previous is not null && taskType is TaskType.UpdateObject or TaskType.UpdatePage && obj.HasSameValues(previous))
        {
            Log.UnchangedUpdateIgnored(logger, obj.TypeName, obj.GetInt64(obj.Type.IdField));
            return null;
        }

        return Match(pending, obj, taskType, owned);
    }

    public async Task<bool[]> WriteAsync(IReadOnlyList<PendingChange> pending, DbTransaction? transaction, CancellationToken cancellationToken, IObjectDataSource? dataSource = null)
    {
        if (pending.Count == 0)
        {
            return new bool[runtime.Connectors.Count];
        }

        var tasks = await snapshots.BuildAsync(pending, dataSource, cancellationToken).ConfigureAwait(false);
        await runtime.Store.AppendAsync(tasks, transaction, cancellationToken).ConfigureAwait(false);
        Log.TasksLogged(logger, tasks.Count);
        return Touched(pending);
    }

    /// <summary>Writes synchronously inside the caller's transaction; only EF Core's synchronous <c>SaveChanges</c> needs this.</summary>
    public bool[] Write(IReadOnlyList<PendingChange> pending, DbTransaction transaction, ISynchronousObjectDataSource? dataSource)
    {
        if (pending.Count == 0)
        {
            return new bool[runtime.Connectors.Count];
        }

        var tasks = snapshots.Build(pending, dataSource);
        runtime.Store.Append(tasks, transaction);
        Log.TasksLogged(logger, tasks.Count);
        return Touched(pending);
    }

    public void Wake(bool[] touched)
    {
        for (var i = 0; i < touched.Length; i++)
        {
            if (touched[i])
            {
                runtime.Wake(i);
            }
        }
    }

    /// <summary>
    /// Calls synchronous connectors from a synchronous hook (EF Core's <c>SaveChanges</c>): a call that completes
    /// synchronously is handled at once; one that does I/O finishes after the hook returns, and its failure is
    /// still logged and raised.
    /// </summary>
    public void CallSynchronous(List<Connector> connectors, BusObject obj, TaskType taskType)
    {
        // Every failure is caught, logged and raised inside; nothing is left to observe.
        _ = CallSynchronousAsync(connectors, obj, taskType, CancellationToken.None).AsTask();
    }

    private bool[] Touched(IReadOnlyList<PendingChange> pending)
    {
        var touched = new bool[runtime.Connectors.Count];
        foreach (var change in pending)
        {
            foreach (var index in change.ConnectorIndexes)
            {
                touched[index] = true;
            }
        }

        return touched;
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

    private static DataType ToDataType(SubscriptionMode mode, bool isPage) => mode switch
    {
        SubscriptionMode.AsyncSimple => DataType.Simple,
        SubscriptionMode.AsyncSnapshot when !isPage => DataType.Snapshot,
        _ => DataType.SimpleSnapshot,
    };

    private void AddPending(List<PendingChange> pending, BusObject snapshot, TaskType taskType, ReadOnlySpan<SubscriptionMode> modes, DateTimeOffset now)
    {
        var connectors = runtime.Connectors;
        foreach (var dataType in (ReadOnlySpan<DataType>)[DataType.Simple, DataType.SimpleSnapshot, DataType.Snapshot])
        {
            List<int>? indexes = null;
            for (var i = 0; i < modes.Length; i++)
            {
                if (modes[i] is not (0 or SubscriptionMode.Sync) && ToDataType(modes[i], snapshot.Type.IsPage) == dataType && connectors.IsEnabled(i))
                {
                    (indexes ??= []).Add(i);
                }
            }

            if (indexes is not null)
            {
                pending.Add(new PendingChange(
                    Guid.CreateVersion7(now),
                    snapshot,
                    taskType,
                    dataType,
                    [.. indexes.Select(i => connectors.Connectors[i].Name)],
                    [.. indexes],
                    now));
            }
        }
    }

    /// <summary>Adds the asynchronous matches to <paramref name="pending"/>; returns the synchronous connectors to call, if any.</summary>
    private List<Connector>? Match(List<PendingChange> pending, BusObject obj, TaskType taskType, bool owned)
    {
        var connectors = runtime.Connectors;
        var origin = runtime.IncomingOrigin;
        if (origin is { RelayIncomingChanges: false })
        {
            // Applying an incoming task logs nothing unless its connector relays changes to the others.
            return null;
        }

        var modes = connectors.Count <= StackLimit ? stackalloc SubscriptionMode[connectors.Count] : new SubscriptionMode[connectors.Count];
        if (!connectors.Index.Match(obj, taskType, modes))
        {
            return null;
        }

        if (origin is not null && connectors.TryGetIndex(origin.Name, out var originIndex))
        {
            // The connector that sent the change never receives it back.
            modes[originIndex] = 0;
        }

        // Copy now: the caller may change the object after this call.
        AddPending(pending, owned ? obj : obj.Clone(), taskType, modes, runtime.TimeProvider.GetUtcNow());
        List<Connector>? synchronous = null;
        for (var i = 0; i < connectors.Count; i++)
        {
            if (modes[i] == SubscriptionMode.Sync && connectors.IsEnabled(i))
            {
                (synchronous ??= []).Add(connectors.Connectors[i]);
            }
        }

        return synchronous;
    }

    public async ValueTask CallSynchronousAsync(List<Connector> connectors, BusObject obj, TaskType taskType, CancellationToken cancellationToken)
    {
        foreach (var connector in connectors)
        {
            await CallSynchronousAsync(connector, obj, taskType, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task CallSynchronousAsync(Connector connector, BusObject obj, TaskType taskType, CancellationToken cancellationToken)
    {
        TaskResult result;
        Exception? exception = null;
        try
        {
            result = await connector.InvokeSynchronousAsync(new SynchronousChange(obj, taskType), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception caught) when (caught is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            exception = caught;
            result = TaskResult.Error(caught.Message);
        }

        if (result.Kind is TaskResultKind.Error or TaskResultKind.ErrorAndSkip)
        {
            var message = result.Message ?? result.Kind.ToString();
            Log.SynchronousProcessingFailed(logger, connector.Name, taskType, obj.TypeName, obj.GetInt64(obj.Type.IdField), message, exception);
            onSynchronousFailure(new SynchronousFailureEventArgs(connector.Name, obj, taskType, message, exception));
        }
    }
}
