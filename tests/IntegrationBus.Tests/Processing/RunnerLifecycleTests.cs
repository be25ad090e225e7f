using IntegrationBus.Storage;
using IntegrationBus.Tests.Support;

namespace IntegrationBus.Tests.Processing;

public sealed class RunnerLifecycleTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RequestProcessing_TasksLoggedWithoutWakeUp_DeliversWithoutWaitingForSweep()
    {
        var crm = new RecordingConnector("crm", s => s.Objects("cms.user", SubscriptionMode.AsyncSimple));
        await using var bus = await TestBus.StartAsync([crm]);
        await bus.Store.Queue.AppendAsync(
            [OutgoingRunnerTests.Outgoing(1, """{"v":1,"object":{"type":"cms.user","fields":{"UserID":1,"UserName":"other-node"}}}""")],
            null,
            Token);

        await bus.Bus.RequestProcessingAsync("crm", cancellationToken: Token);

        await crm.WaitForCallsAsync(1);
        Assert.Equal("other-node", crm.Calls[0].Object.CodeName);
    }

    [Fact]
    public async Task Sweep_TasksLoggedWithoutWakeUp_DeliveredAtSweepInterval()
    {
        var crm = new RecordingConnector("crm", s => s.Objects("cms.user", SubscriptionMode.AsyncSimple));
        await using var bus = await TestBus.StartAsync([crm]);
        await bus.Store.Queue.AppendAsync([OutgoingRunnerTests.Outgoing(1, """{"v":1,"object":{"type":"cms.user","fields":{"UserID":1}}}""")], null, Token);

        Assert.Empty(crm.Calls);
        bus.Time.Advance(bus.Options.SweepInterval);

        await crm.WaitForCallsAsync(1);
    }

    [Fact]
    public async Task StopAsync_DuringBatch_EveryTaskAcknowledgedOrStillPending()
    {
        var blocking = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var third = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var crm = new BlockingConnector(third, blocking);
        var bus = await TestBus.StartAsync([crm]);
        try
        {
            await using (var scope = bus.Bus.BeginScope())
            {
                for (var i = 1; i <= 5; i++)
                {
                    await scope.LogChangeAsync(SampleTypes.NewUser(i, $"u{i}"), TaskType.CreateObject, Token);
                }

                await scope.CompleteAsync(Token);
            }

            await third.Task.WaitAsync(TimeSpan.FromSeconds(30), Token);
            await bus.StopHostAsync();

            var pending = await bus.ListAsync("crm");
            Assert.Equal([3L, 4, 5], pending.Select(p => p.Task.ObjectId!.Value));
            Assert.All(pending, p => Assert.Equal(SynchronizationStatus.Pending, p.Status));
        }
        finally
        {
            await bus.DisposeAsync();
        }
    }

    private sealed class BlockingConnector(TaskCompletionSource reachedThird, TaskCompletionSource never) : Connector("crm")
    {
        protected override void Subscribe(SubscriptionBuilder subscriptions) => subscriptions.AllObjects(SubscriptionMode.AsyncSimple);

        protected override async Task<TaskResult> ProcessOutgoingAsync(OutgoingTask task, CancellationToken cancellationToken)
        {
            if (task.Object.Id == 3)
            {
                reachedThird.TrySetResult();
                await never.Task.WaitAsync(cancellationToken);
            }

            return TaskResult.Ok;
        }
    }
}
