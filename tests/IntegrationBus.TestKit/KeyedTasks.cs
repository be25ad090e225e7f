using IntegrationBus.Storage;

namespace IntegrationBus.TestKit;

/// <summary>Puts tasks with ordering keys into a store and parks them, for tests of the layers over blocked keys.</summary>
public static class KeyedTasks
{
    /// <summary>Appends one outgoing task per key for a connector (pending), in the keys' order.</summary>
    /// <param name="store">The store.</param>
    /// <param name="connector">The connector.</param>
    /// <param name="keys">The ordering keys, one task each.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The tasks' IDs.</returns>
    public static Task<IReadOnlyList<long>> AppendAsync(TaskStore store, string connector, IReadOnlyList<string> keys, CancellationToken cancellationToken)
        => store.Queue.AppendAsync([.. keys.Select(k => Some.Task(connector) with { OrderingKeys = [k] })], null, cancellationToken);

    /// <summary>Appends one outgoing task per key for a connector and parks each as failed (as after its last attempt), so each key is blocked.</summary>
    /// <param name="store">The store.</param>
    /// <param name="now">When the attempt failed.</param>
    /// <param name="connector">The connector.</param>
    /// <param name="keys">The ordering keys, one task each.</param>
    /// <param name="message">The error message.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The tasks' IDs.</returns>
    public static async Task<IReadOnlyList<long>> AppendParkedAsync(
        TaskStore store, DateTimeOffset now, string connector, IReadOnlyList<string> keys, string message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        var ids = await AppendAsync(store, connector, keys, cancellationToken);
        var request = new LeaseRequest { Queue = Some.Queue(connector), Owner = Some.Owner(), Duration = TimeSpan.FromMinutes(1), Now = now };
        var lease = await store.Leases.TryAcquireAsync(request, cancellationToken) ?? throw new InvalidOperationException($"The lease of {connector} is held by someone else.");
        var outcomes = ids.Select(id => new TaskOutcome
        {
            TaskId = id, Result = TaskResultKind.Error, Message = message, AttemptedAt = now, NextAttemptAt = now.AddMinutes(1), Park = true,
        });
        if (!await store.Queue.RecordAsync(new RecordRequest { Lease = lease, Outcomes = [.. outcomes] }, cancellationToken))
        {
            throw new InvalidOperationException($"The outcomes of {connector} were not recorded.");
        }

        await store.Leases.ReleaseAsync(lease, cancellationToken);
        return ids;
    }
}
