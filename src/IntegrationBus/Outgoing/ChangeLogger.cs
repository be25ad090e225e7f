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
        ArgumentNullException.ThrowIfNull(obj);
        CheckTaskType(obj, taskType);
        if (!runtime.Settings.ShouldLogOutgoing)
        {
            return ValueTask.CompletedTask;
        }

        if (previous is not null && taskType is TaskType.UpdateObject or TaskType.UpdatePage && obj.HasSameValues(previous))
        {
            Log.UnchangedUpdateIgnored(logger, obj.TypeName, obj.GetInt64(obj.Type.IdField));
            return ValueTask.CompletedTask;
        }

        var synchronous = Match(pending, obj, taskType);
        return synchronous is null ? ValueTask.CompletedTask : CallSynchronousAsync(synchronous, obj, taskType, cancellationToken);
    }

    public async Task<bool[]> WriteAsync(IReadOnlyList<PendingChange> pending, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        var touched = new bool[runtime.Connectors.Count];
        if (pending.Count == 0)
        {
            return touched;
        }

        var tasks = await snapshots.BuildAsync(pending, cancellationToken).ConfigureAwait(false);
        await runtime.Store.AppendAsync(tasks, transaction, cancellationToken).ConfigureAwait(false);
        foreach (var change in pending)
        {
            foreach (var index in change.ConnectorIndexes)
            {
                touched[index] = true;
            }
        }

        Log.TasksLogged(logger, tasks.Count);
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
    private List<Connector>? Match(List<PendingChange> pending, BusObject obj, TaskType taskType)
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
        AddPending(pending, obj.Clone(), taskType, modes, runtime.TimeProvider.GetUtcNow());
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

    private async ValueTask CallSynchronousAsync(List<Connector> connectors, BusObject obj, TaskType taskType, CancellationToken cancellationToken)
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
