using IntegrationBus.Storage;
using Microsoft.Extensions.Logging;

namespace IntegrationBus.Processing;

/// <summary>
/// Applies a fetched batch of incoming tasks through an <see cref="IInternalBatchDataHandler"/>: one look-up query per
/// type for the whole batch, then the tasks in sub-batches of tasks that do not depend on each other, each in one unit
/// of work. A task that cannot be resolved, or a sub-batch that fails, ends the batching: it and every later task go
/// through the one-by-one path, so order holds and only a failing task gets its policy.
/// </summary>
internal sealed class IncomingBatchApplier(ConnectorRuntime connector, ObjectTypeRegistry types, IInternalBatchDataHandler handler, IncomingOrigin origin, TimeProvider time, ILogger logger)
{
    private readonly Dictionary<long, TaskDecision> _applied = [];

    /// <summary>Takes the decision for a task this applier applied, if it did.</summary>
    public bool TryTake(long taskId, out TaskDecision decision) => _applied.Remove(taskId, out decision);

    /// <summary>Applies what it can of <paramref name="tasks"/> (in order), leaving the rest to the one-by-one path.</summary>
    public async Task ApplyAsync(IReadOnlyList<QueuedTask> tasks, CancellationToken runToken)
    {
        _applied.Clear();
        var candidates = Candidates(tasks);
        if (candidates.Count < 2)
        {
            // One task: the one-by-one path does the same work.
            return;
        }

        var lookups = new PrefetchedLookups(handler);
        if (!await PrefetchAsync(lookups, candidates, runToken).ConfigureAwait(false))
        {
            return;
        }

        var resolver = new ReferenceResolver(types, lookups);
        var pending = new List<IncomingTask>(candidates.Count);
        var touched = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < candidates.Count; i++)
        {
            var (task, snapshot) = candidates[i];
            var keys = Keys(snapshot);
            // touched.Overlaps(keys) walks this task's few keys; keys.Overlaps(touched) walked every key of the batch so far.
            if (touched.Overlaps(keys))
            {
                // It changes or references what an earlier task changes: apply those first and look up afresh.
                if (!await FlushAsync(pending, runToken).ConfigureAwait(false))
                {
                    return;
                }

                touched.Clear();
                lookups.Forget();
                if (!await PrefetchAsync(lookups, [.. candidates.Skip(i)], runToken).ConfigureAwait(false))
                {
                    return;
                }
            }

            try
            {
                await resolver.ResolveForeignKeysAsync(snapshot, runToken).ConfigureAwait(false);
                var existing = await resolver.FindExistingAsync(snapshot.Object, runToken).ConfigureAwait(false);
                pending.Add(new IncomingTask(task.Id, task.Guid, connector.Name, task.TaskType, task.DataType, snapshot, existing, task.Policy, task.Attempts + 1, task.CreatedAt));
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !runToken.IsCancellationRequested)
            {
                // This task fails on its own (the one-by-one path records why): apply what comes before it, leave the rest.
                await FlushAsync(pending, runToken).ConfigureAwait(false);
                return;
            }

            touched.UnionWith(keys);
        }

        await FlushAsync(pending, runToken).ConfigureAwait(false);
    }

    /// <returns><see langword="false"/> when the look-ups failed: the tasks are left to the one-by-one path, which reports why.</returns>
    /// <remarks>
    /// Two calls, as the resolver looks up: every GUID first, then the code names of only those objects and references
    /// that have no GUID or whose GUID matched nothing (an update found by its GUID needs no code-name look-up).
    /// </remarks>
    private async Task<bool> PrefetchAsync(PrefetchedLookups lookups, List<(QueuedTask Task, ObjectSnapshot Snapshot)> candidates, CancellationToken runToken)
    {
        try
        {
            await lookups.PrefetchAsync(candidates.SelectMany(c => Lookups(c.Snapshot, lookups, byGuid: true)), runToken).ConfigureAwait(false);
            await lookups.PrefetchAsync(candidates.SelectMany(c => Lookups(c.Snapshot, lookups, byGuid: false)), runToken).ConfigureAwait(false);
            return true;
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !runToken.IsCancellationRequested)
        {
            IncomingLog.IncomingBatchFailed(logger, connector.Name, candidates.Count, candidates[0].Task.Id, exception.Message);
            return false;
        }
    }

    /// <summary>The tasks the one-by-one path would apply now, with their objects; a skipped-once or unreadable task is left to it.</summary>
    private List<(QueuedTask Task, ObjectSnapshot Snapshot)> Candidates(IReadOnlyList<QueuedTask> tasks)
    {
        var candidates = new List<(QueuedTask Task, ObjectSnapshot Snapshot)>(tasks.Count);
        var ignored = new List<(string Type, string Field)>();
        foreach (var task in tasks)
        {
            if (task.Policy == IncomingPolicy.SkipOnce && task.Attempts == 0 && task.Status == SynchronizationStatus.Pending)
            {
                continue;
            }

            try
            {
                ignored.Clear();
                candidates.Add((task, TaskPayload.Deserialize(task.Payload, types, ignored)));
                foreach (var (type, field) in ignored)
                {
                    Log.PayloadFieldIgnored(logger, task.Id, connector.Name, TaskDirection.Incoming, type, field);
                }
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // The one-by-one path parks it and says why.
            }
        }

        return candidates;
    }

    private async Task<bool> FlushAsync(List<IncomingTask> pending, CancellationToken runToken)
    {
        if (pending.Count == 0)
        {
            return true;
        }

        var call = await ConnectorCall.InvokeAsync(
            static async (state, token) =>
            {
                using (state.Origin.Enter(state.Connector))
                {
                    await state.Handler.ApplyBatchAsync(state.Tasks, token).ConfigureAwait(false);
                }

                return TaskResult.Ok;
            },
            (Origin: origin, Connector: connector, Handler: handler, Tasks: pending.ToArray()),
            "The data handler", connector.Options.TaskTimeout, time, runToken).ConfigureAwait(false);
        if (call.Result.Kind != TaskResultKind.Ok)
        {
            // All or nothing: the tasks are applied again one by one, and only one that fails on its own gets its policy.
            IncomingLog.IncomingBatchFailed(logger, connector.Name, pending.Count, pending[0].Id, call.Result.Message);
            pending.Clear();
            return false;
        }

        var now = time.GetUtcNow();
        foreach (var task in pending)
        {
            IncomingLog.IncomingApplied(logger, task.Id, connector.Name);
            _applied[task.Id] = new TaskDecision(new TaskOutcome { TaskId = task.Id, Result = TaskResultKind.Ok, AttemptedAt = now });
        }

        pending.Clear();
        return true;
    }

    /// <summary>
    /// The look-ups the resolver makes for an object and its references (those without a parent to resolve first): by
    /// GUID, or by code name for those with no GUID or whose GUID look-up (already prefetched) found nothing.
    /// </summary>
    private IEnumerable<ObjectLookup> Lookups(ObjectSnapshot snapshot, PrefetchedLookups known, bool byGuid)
    {
        var obj = snapshot.Object;
        var guid = obj.Type.IsPage ? obj.NodeGuid ?? obj.Guid : obj.Guid;
        if (Next(obj.Type, guid, obj.Type.IsPage ? obj.AliasPath : obj.CodeName, obj.Site, known, byGuid) is { } own)
        {
            yield return own;
        }

        foreach (var record in snapshot.References.Values)
        {
            if (types.TryGet(record.ObjectType, out var type)
                && Next(type, record.Guid, record.Parent is null ? record.CodeName : null, record.Site, known, byGuid) is { } reference)
            {
                yield return reference;
            }
        }
    }

    private static ObjectLookup? Next(ObjectTypeInfo type, Guid? guid, string? codeName, string? site, PrefetchedLookups known, bool byGuid)
    {
        if (byGuid)
        {
            return guid is { } g ? new ObjectLookup(type, Guid: g) : null;
        }

        var foundByGuid = guid is { } found && known.TryGetKnown(new ObjectLookup(type, Guid: found), out var id) && id is not null;
        return codeName is not null && !foundByGuid ? new ObjectLookup(type, CodeName: codeName, Site: site) : null;
    }

    /// <summary>The identities an object (with its children) and its references stand for: what makes two tasks depend on each other.</summary>
    private static HashSet<string> Keys(ObjectSnapshot snapshot)
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        void Add(string type, Guid? guid, string? codeName)
        {
            if (guid is { } g)
            {
                keys.Add($"{type}|g|{g:N}");
            }

            if (codeName is not null)
            {
                keys.Add($"{type}|c|{codeName}");
            }
        }

        void AddSnapshot(ObjectSnapshot s)
        {
            var obj = s.Object;
            Add(obj.TypeName, obj.Type.IsPage ? obj.NodeGuid ?? obj.Guid : obj.Guid, obj.Type.IsPage ? obj.AliasPath ?? obj.CodeName : obj.CodeName);
            foreach (var record in s.References.Values)
            {
                for (var r = record; r is not null; r = r.Parent)
                {
                    Add(r.ObjectType, r.Guid, r.CodeName);
                }
            }

            foreach (var child in s.Children.Concat(s.Bindings))
            {
                AddSnapshot(child);
            }
        }

        AddSnapshot(snapshot);
        return keys;
    }
}
