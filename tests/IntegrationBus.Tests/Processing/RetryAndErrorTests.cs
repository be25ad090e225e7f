using IntegrationBus.Diagnostics;
using IntegrationBus.Storage;
using IntegrationBus.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationBus.Tests.Processing;

/// <summary>Skipped tasks respect the back-off, errors keep their exception, payloads outlive dropped columns, options are per connector.</summary>
public sealed class RetryAndErrorTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static RecordingConnector Crm(string name = "crm") => new(name, s => s.Objects("cms.user", SubscriptionMode.AsyncSimple));

    [Fact]
    public async Task RunAsync_ErrorAndSkipUnderSteadyTraffic_SkippedTaskWaitsForItsBackoff()
    {
        var crm = Crm();
        crm.Behaviour = task => task.Object.CodeName == "bad" ? TaskResult.ErrorAndSkip("bad e-mail") : TaskResult.Ok;
        await using var bus = await TestBus.StartAsync([crm]);

        await bus.Bus.LogChangeAsync(SampleTypes.NewUser(1, "bad"), TaskType.CreateObject, Token);
        await crm.WaitForCallsAsync(1);
        for (var i = 2; i <= 6; i++)
        {
            // New traffic wakes the runner again and again; the skipped task is not due, so it is not retried.
            var idle = bus.NextRunnerIdleAsync("crm");
            await bus.Bus.LogChangeAsync(SampleTypes.NewUser(i, $"u{i}"), TaskType.CreateObject, Token);
            await idle;
        }

        Assert.Equal(1, crm.Calls.Count(c => c.Object.CodeName == "bad"));
        var skipped = Assert.Single(await bus.ListAsync("crm"));
        Assert.Equal((SynchronizationStatus.Skipped, 1), (skipped.Status, skipped.Attempts));
        Assert.Single(await bus.Store.Management.GetAttemptsAsync(skipped.TaskId, Token));

        var retried = bus.NextRunnerIdleAsync("crm");
        bus.Time.Advance(skipped.NextAttemptAt!.Value - bus.Time.GetUtcNow());
        await retried;
        Assert.Equal(2, crm.Calls.Count(c => c.Object.CodeName == "bad"));
    }

    [Fact]
    public async Task RunAsync_ErrorWithRetryAfter_NextAttemptIsThatDelayNotTheBackoff()
    {
        var crm = Crm();
        crm.Behaviour = _ => TaskResult.Error("rate limited", TimeSpan.FromSeconds(90));
        await using var bus = await TestBus.StartAsync([crm]);
        var recorded = bus.NextRunnerIdleAsync("crm");

        await bus.Bus.LogChangeAsync(SampleTypes.NewUser(1, "u1"), TaskType.CreateObject, Token);
        await recorded;

        var row = Assert.Single(await bus.ListAsync("crm"));
        Assert.Equal(bus.Time.GetUtcNow() + TimeSpan.FromSeconds(90), row.NextAttemptAt);
        var retried = bus.NextRunnerIdleAsync("crm");
        bus.Time.Advance(TimeSpan.FromSeconds(90));
        await retried;
        Assert.Equal(2, crm.Calls.Count);
    }

    [Fact]
    public async Task RunAsync_ConnectorThrows_AttemptLogAndLogEventKeepTypeMessageAndStackTrace()
    {
        var crm = Crm();
        crm.Behaviour = _ => throw new InvalidOperationException("socket closed");
        await using var bus = await TestBus.StartAsync([crm]);
        var failed = bus.NextEventAsync(EventIds.TaskFailed, "crm");
        var recorded = bus.NextRunnerWaitAsync("crm");

        await bus.Bus.LogChangeAsync(SampleTypes.NewUser(1, "u1"), TaskType.CreateObject, Token);
        var logged = await failed;
        await recorded;

        var row = Assert.Single(await bus.ListAsync("crm"));
        Assert.Equal("InvalidOperationException: socket closed", row.LastError);
        var attempt = Assert.Single(await bus.Store.Management.GetAttemptsAsync(row.TaskId, Token));
        Assert.StartsWith("System.InvalidOperationException: socket closed", attempt.Details, StringComparison.Ordinal);
        Assert.Contains(" at ", attempt.Details, StringComparison.Ordinal);
        Assert.IsType<InvalidOperationException>(logged["Exception"]);
    }

    [Fact]
    public async Task RunAsync_PayloadFieldTheTypeNoLongerHas_IgnoresFieldAndDelivers()
    {
        var crm = Crm();
        await using var bus = await TestBus.StartAsync([crm], start: false);
        await bus.EnsureStartedAsync();
        await bus.Store.Queue.AppendAsync(
            [OutgoingRunnerTests.Outgoing(7, """{"v":1,"object":{"type":"cms.user","fields":{"UserID":7,"UserName":"kept","DroppedColumn":"x"}}}""")], null, Token);
        var ignored = bus.Signals.NextAsync(EventIds.PayloadFieldIgnored, s => Equals(s.GetValueOrDefault("Field"), "DroppedColumn"));

        await bus.StartHostAsync();
        await crm.WaitForCallsAsync(1);

        await ignored;
        Assert.Equal("kept", crm.Calls[0].Object.CodeName);
        Assert.DoesNotContain("DroppedColumn", crm.Calls[0].Object.Fields.Keys);
        Assert.Empty(await bus.ListAsync("crm"));
    }

    [Fact]
    public async Task AddConnector_TwoInstancesOfOneClass_EachHasItsOwnOptions()
    {
        var strict = Crm("strict");
        var patient = Crm("patient");
        strict.Behaviour = _ => TaskResult.Error("down");
        patient.Behaviour = _ => TaskResult.Error("down");
        await using var bus = await TestBus.StartAsync([], b => b
            .AddConnector(strict, o => o.MaxAttempts = 1)
            .AddConnector(patient, o => o.MaxAttempts = 5));
        var patientWaiting = bus.NextRunnerWaitAsync("patient");
        var strictIdle = bus.NextRunnerIdleAsync("strict");

        await bus.Bus.LogChangeAsync(SampleTypes.NewUser(1, "u1"), TaskType.CreateObject, Token);
        await patientWaiting;
        await strictIdle;

        Assert.Equal(SynchronizationStatus.Failed, Assert.Single(await bus.ListAsync("strict")).Status);
        Assert.Equal(SynchronizationStatus.Error, Assert.Single(await bus.ListAsync("patient")).Status);
    }

    [Fact]
    public async Task AddConnector_NamedOptionsOfItsCodeName_AreAppliedBeforeTheCallback()
    {
        var crm = Crm();
        crm.Behaviour = _ => TaskResult.Error("down");
        await using var bus = await TestBus.StartAsync([], b => b.AddConnector(crm, o => o.TaskTimeout = TimeSpan.FromMinutes(1)),
            services: s => s.Configure<ConnectorOptions>("crm", o => o.MaxAttempts = 1));
        var idle = bus.NextRunnerIdleAsync("crm");

        await bus.Bus.LogChangeAsync(SampleTypes.NewUser(1, "u1"), TaskType.CreateObject, Token);
        await idle;

        Assert.Equal(SynchronizationStatus.Failed, Assert.Single(await bus.ListAsync("crm")).Status);
    }
}
