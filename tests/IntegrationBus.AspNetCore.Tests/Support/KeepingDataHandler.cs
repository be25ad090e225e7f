
namespace IntegrationBus.AspNetCore.Tests.Support;

/// <summary>A data handler that leaves every incoming task queued, so a test can count what the endpoint queued.</summary>
public sealed class KeepingDataHandler : IInternalDataHandler
{
    public Task<long?> FindObjectIdAsync(ObjectLookup lookup, CancellationToken cancellationToken) => Task.FromResult<long?>(null);

    public Task<TaskResult> ApplyAsync(IncomingTask task, CancellationToken cancellationToken) => Task.FromResult(TaskResult.SkipNow("kept for inspection"));
}
