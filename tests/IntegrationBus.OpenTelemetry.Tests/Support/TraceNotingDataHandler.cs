using System.Collections.Concurrent;
using System.Diagnostics;

namespace IntegrationBus.OpenTelemetry.Tests.Support;

/// <summary>A data handler that applies everything and notes the trace each apply runs in.</summary>
public sealed class TraceNotingDataHandler : IInternalDataHandler
{
    public ConcurrentQueue<ActivityTraceId?> Applied { get; } = new();

    public Task<long?> FindObjectIdAsync(ObjectLookup lookup, CancellationToken cancellationToken) => Task.FromResult<long?>(null);

    public Task<TaskResult> ApplyAsync(IncomingTask task, CancellationToken cancellationToken)
    {
        Applied.Enqueue(Activity.Current?.TraceId);
        return Task.FromResult(TaskResult.Ok);
    }
}
