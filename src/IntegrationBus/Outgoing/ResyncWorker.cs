using System.Data.Common;
using IntegrationBus.Diagnostics;
using IntegrationBus.Processing;
using IntegrationBus.Storage;
using Microsoft.Extensions.Logging;

namespace IntegrationBus;

/// <summary>
/// Works on unfinished resync jobs on this node: claims one, reads its objects batch by batch from the
/// <see cref="IResyncSource"/>, and records each batch's tasks (for the job's connector only) with the cursor in one
/// transaction. Woken when a job starts on this node; polls every sweep interval for jobs started elsewhere or left by a
/// crashed node.
/// </summary>
internal sealed class ResyncWorker(
    ConnectorRegistry connectors,
    ObjectTypeRegistry types,
    SnapshotBuilder snapshots,
    TaskStore store,
    IResyncSource? source,
    BusNode node,
    IntegrationBusOptions options,
    TimeProvider time,
    ILogger logger)
{
    /// <summary>Gets the signal that wakes the worker (set when a job starts on this node).</summary>
    public AsyncSignal Signal { get; } = new();

    /// <summary>Gets the source the objects are read from, or <see langword="null"/> when none is registered.</summary>
    public IResyncSource? Source => source;

    /// <summary>The types a job covers, in the order it works on them: readable by the source, matching the filter (type name or page class name).</summary>
    public static List<ObjectTypeInfo> SelectTypes(ObjectTypeRegistry types, IResyncSource source, string? typeFilter)
    {
        var glob = GlobPattern.Compile(typeFilter);
        return [.. types.Types
            .Where(t => source.CanRead(t) && (glob is null || glob.IsMatch(t.Name) || (t.Page is { } page && glob.IsMatch(page.ClassName))))
            .OrderBy(t => t.Name, StringComparer.Ordinal)];
    }

    public async Task RunAsync(CancellationToken stoppingToken)
    {
        if (source is null)
        {
            return;
        }

        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var worked = false;
                try
                {
                    worked = await WorkOnceAsync(stoppingToken).ConfigureAwait(false);
                }
                catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
                {
                    ResyncLog.IterationFailed(logger, exception);
                }

                if (!worked)
                {
                    await Signal.WaitAsync(options.SweepInterval, time, stoppingToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping is not a failure: the job resumes from its cursor.
        }
    }

    /// <summary>Claims one job and works on it to its end; returns whether there was one.</summary>
    public async Task<bool> WorkOnceAsync(CancellationToken cancellationToken)
    {
        var job = await store.Resyncs.ClaimAsync(node.Id, options.LeaseDuration, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        if (job is null || source is null)
        {
            return false;
        }

        ResyncLog.Claimed(logger, job.Id, job.Connector, job.CursorType, job.CursorId);
        if (!connectors.TryGet(job.Connector, out var connector))
        {
            await FailAsync(job, $"Connector '{job.Connector}' is not registered on this node; start the resync again where it is.", cancellationToken).ConfigureAwait(false);
            return true;
        }

        var selected = SelectTypes(types, source, job.TypeFilter);
        if (job.Since is not null && selected.FirstOrDefault(t => !source.CanFilterByModification(t)) is { } undated)
        {
            await FailAsync(job, $"Type '{undated.Name}' has no last-modified property, so a resync with 'since' cannot filter it; declare one (EF Core: LastModified(e => ...)) or narrow the type filter.", cancellationToken).ConfigureAwait(false);
            return true;
        }

        var queued = job.Queued;
        foreach (var type in selected.Where(t => job.CursorType is null || string.CompareOrdinal(t.Name, job.CursorType) >= 0))
        {
            var after = type.Name == job.CursorType ? job.CursorId : null;
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var batch = new BatchState();
                await source.ReadBatchAsync(
                    new ResyncBatchRequest(type, after, options.ResyncBatchSize, job.Since),
                    (objects, transaction, dataSource, token) => WriteAsync(job, connector, type, after, objects, transaction, dataSource, batch, token),
                    cancellationToken).ConfigureAwait(false);
                if (batch.Stopped)
                {
                    ResyncLog.Stopped(logger, job.Id, job.Connector);
                    return true;
                }

                if (batch.Last is null)
                {
                    break;
                }

                queued += batch.Queued;
                after = batch.Last;
                if (batch.Queued > 0)
                {
                    connector.WakeOutgoing();
                }
            }
        }

        if (await store.Resyncs.FinishAsync(job.Id, node.Id, ResyncJobState.Completed, null, time.GetUtcNow(), cancellationToken).ConfigureAwait(false))
        {
            ResyncLog.Completed(logger, job.Id, job.Connector, queued);
        }

        return true;
    }

    private async Task<bool> WriteAsync(
        ResyncJob job, ConnectorRuntime connector, ObjectTypeInfo type, long? after, IReadOnlyList<BusObject> objects,
        DbTransaction? transaction, IObjectDataSource? dataSource, BatchState batch, CancellationToken cancellationToken)
    {
        if (objects.Count == 0)
        {
            return true;
        }

        var now = time.GetUtcNow();
        var pending = new List<PendingChange>(objects.Count);
        var modes = new SubscriptionMode[connectors.Count];
        ConnectorRuntime[] targets = [connector];
        long? last = after;
        foreach (var obj in objects)
        {
            last = obj.GetInt64(type.IdField);
            var taskType = type.IsPage ? TaskType.UpdatePage : TaskType.UpdateObject;
            if (!connectors.Index.Match(obj, taskType, modes) || modes[connector.Position] == 0)
            {
                continue;
            }

            var guid = TaskGuid.NewVersion7(now);
            var trace = BusTracing.Create(targets, TaskDirection.Outgoing, guid, obj.TypeName, taskType);
            pending.Add(new PendingChange(guid, obj, taskType, ChangeLogger.ToDataType(modes[connector.Position], type.IsPage), targets, now, trace));
        }

        var tasks = pending.Count == 0 ? [] : await snapshots.BuildAsync(pending, dataSource, cancellationToken).ConfigureAwait(false);
        var recorded = await store.Resyncs.RecordBatchAsync(
            new ResyncBatch { JobId = job.Id, Node = node.Id, CursorType = type.Name, CursorId = last, Tasks = tasks, Now = now, ClaimDuration = options.LeaseDuration },
            transaction,
            cancellationToken).ConfigureAwait(false);
        if (!recorded)
        {
            batch.Stopped = true;
            return false;
        }

        batch.Last = last;
        batch.Queued = tasks.Count;
        ResyncLog.BatchQueued(logger, job.Id, job.Connector, tasks.Count, type.Name, last);
        return true;
    }

    private async Task FailAsync(ResyncJob job, string message, CancellationToken cancellationToken)
    {
        ResyncLog.Failed(logger, job.Id, job.Connector, message);
        await store.Resyncs.FinishAsync(job.Id, node.Id, ResyncJobState.Failed, message, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>What the writer of one batch learnt: the last ID done, the tasks queued, whether the job stopped.</summary>
    private sealed class BatchState
    {
        public long? Last { get; set; }

        public int Queued { get; set; }

        public bool Stopped { get; set; }
    }
}
