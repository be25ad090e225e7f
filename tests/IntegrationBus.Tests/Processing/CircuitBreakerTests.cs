using IntegrationBus.Diagnostics;
using IntegrationBus.Management;
using IntegrationBus.Storage;
using IntegrationBus.Tests.Support;
using Microsoft.Extensions.Options;

namespace IntegrationBus.Tests.Processing;

/// <summary>The circuit breaker per connector: calls stop at the threshold, no attempt is used up while open, one task probes.</summary>
public sealed class CircuitBreakerTests
{
    private static readonly TimeSpan BreakDuration = TimeSpan.FromSeconds(30);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RunAsync_ExternalSystemDown_CallsStopAtThresholdAndProbeDrainsQueue()
    {
        var crm = Crm();
        crm.Behaviour = _ => TaskResult.Error("CRM is down");
        await using var bus = await TestBus.StartAsync([], b => b.AddConnector(crm, o => Breaker(o, maxAttempts: 1)), start: false);
        await LogUsersAsync(bus, 10);
        var opened = NextBreakerEventAsync(bus, EventIds.CircuitBreakerOpened);

        await bus.StartHostAsync();

        Assert.Equal("CRM is down", (await opened)["Reason"]);
        Assert.Equal(3, crm.Calls.Count);
        var rows = await bus.ListAsync("crm");
        Assert.Equal(3, rows.Count(r => r.Status == SynchronizationStatus.Failed));
        Assert.All(rows.Where(r => r.Status != SynchronizationStatus.Failed), r => Assert.Equal((SynchronizationStatus.Pending, 0), (r.Status, r.Attempts)));
        var breaker = (await OutgoingQueueAsync(bus)).CircuitBreaker;
        Assert.NotNull(breaker);
        Assert.Equal((CircuitBreakerStatus.Open, bus.Time.GetUtcNow() + BreakDuration, "CRM is down"), (breaker.Status, breaker.OpenUntil, breaker.Reason));

        // New traffic and the break's first 29 seconds: the queue waits, no call, no attempt.
        var idle = bus.NextRunnerIdleAsync("crm");
        await bus.Bus.LogChangeAsync(SampleTypes.NewUser(11, "u11"), TaskType.CreateObject, Token);
        await idle;
        idle = bus.NextRunnerIdleAsync("crm");
        bus.Time.Advance(BreakDuration - TimeSpan.FromSeconds(1));
        await idle;
        Assert.Equal(3, crm.Calls.Count);
        Assert.Equal(3, (await bus.ListAsync("crm")).Count(r => r.Status == SynchronizationStatus.Failed));

        // The system is back: at the break's end one task probes, its success closes the breaker and the queue drains.
        crm.Behaviour = _ => TaskResult.Ok;
        var halfOpened = NextBreakerEventAsync(bus, EventIds.CircuitBreakerHalfOpened);
        var closed = NextBreakerEventAsync(bus, EventIds.CircuitBreakerClosed);
        idle = bus.NextRunnerIdleAsync("crm");
        bus.Time.Advance(TimeSpan.FromSeconds(1));
        await halfOpened;
        await closed;
        await idle;

        Assert.Equal(3 + 8, crm.Calls.Count);
        Assert.All(await bus.ListAsync("crm"), r => Assert.Equal(SynchronizationStatus.Failed, r.Status));
        Assert.Equal(CircuitBreakerStatus.Closed, (await OutgoingQueueAsync(bus)).CircuitBreaker?.Status);
    }

    [Fact]
    public async Task RunAsync_ProbeFails_BreakerOpensAgainWithoutParkingTheWaitingTasks()
    {
        var crm = Crm();
        crm.Behaviour = _ => TaskResult.ErrorAndSkip("CRM is down");
        await using var bus = await TestBus.StartAsync([], b => b.AddConnector(crm, o => Breaker(o, maxAttempts: 2)), start: false);
        await LogUsersAsync(bus, 6);
        await bus.StartHostAsync();
        Assert.Equal(3, crm.Calls.Count);

        var reopened = NextBreakerEventAsync(bus, EventIds.CircuitBreakerOpened);
        var idle = bus.NextRunnerIdleAsync("crm");
        bus.Time.Advance(BreakDuration);
        await reopened;
        await idle;

        // One probe (the first task's second and last attempt parks it); the others wait untouched.
        Assert.Equal(4, crm.Calls.Count);
        var rows = (await bus.ListAsync("crm")).OrderBy(r => r.TaskId).ToList();
        Assert.Equal(
            [(SynchronizationStatus.Failed, 2), (SynchronizationStatus.Skipped, 1), (SynchronizationStatus.Skipped, 1), (SynchronizationStatus.Pending, 0), (SynchronizationStatus.Pending, 0), (SynchronizationStatus.Pending, 0)],
            rows.Select(r => (r.Status, r.Attempts)));
        var breaker = (await OutgoingQueueAsync(bus)).CircuitBreaker;
        Assert.Equal((CircuitBreakerStatus.Open, bus.Time.GetUtcNow() + BreakDuration), (breaker?.Status, breaker?.OpenUntil));

        crm.Behaviour = _ => TaskResult.Ok;
        var closed = NextBreakerEventAsync(bus, EventIds.CircuitBreakerClosed);
        idle = bus.NextRunnerIdleAsync("crm");
        bus.Time.Advance(BreakDuration);
        await closed;
        await idle;
        Assert.Equal(4 + 5, crm.Calls.Count);
        Assert.Equal([SynchronizationStatus.Failed], (await bus.ListAsync("crm")).Select(r => r.Status));
    }

    [Fact]
    public async Task RunAsync_OtherNodeTakesOverWhileOpen_HonoursBreakerThenProbes()
    {
        using var file = new SharedDatabaseFile();
        var path = file.Path;
        var downCrm = Crm();
        downCrm.Behaviour = _ => TaskResult.Error("CRM is down");
        await using var first = await TestBus.StartAsync([], b => b.AddConnector(downCrm, o => Breaker(o, maxAttempts: 1)), start: false, path: path);
        await LogUsersAsync(first, 8);
        await first.StartHostAsync();
        Assert.Equal(3, downCrm.Calls.Count);
        await first.StopHostAsync();

        // The second node starts with the external system up: it still waits for the stored break's end.
        var upCrm = Crm();
        await using var second = await TestBus.StartAsync([], b => b.AddConnector(upCrm, o => Breaker(o, maxAttempts: 1)), start: false, path: path, time: first.Time);
        var adopted = NextBreakerEventAsync(second, EventIds.CircuitBreakerAdopted);
        await second.StartHostAsync();
        Assert.Equal(CircuitBreakerStatus.Open, (await adopted)["Status"]);
        Assert.Empty(upCrm.Calls);
        Assert.Equal(5, (await second.ListAsync("crm")).Count(r => r.Status == SynchronizationStatus.Pending && r.Attempts == 0));

        var halfOpened = NextBreakerEventAsync(second, EventIds.CircuitBreakerHalfOpened);
        var closed = NextBreakerEventAsync(second, EventIds.CircuitBreakerClosed);
        second.Time.Advance(BreakDuration);
        await halfOpened;
        await closed;
        await upCrm.WaitForCallsAsync(5);
        Assert.Equal(CircuitBreakerStatus.Closed, (await OutgoingQueueAsync(first)).CircuitBreaker?.Status);
    }

    [Fact]
    public async Task RunAsync_BreakerOff_FailuresAreRetriedAsBefore()
    {
        var crm = Crm();
        crm.Behaviour = _ => TaskResult.Error("CRM is down");
        await using var bus = await TestBus.StartAsync([], b => b.AddConnector(crm, o => o.MaxAttempts = 1), start: false);
        await LogUsersAsync(bus, 5);

        await bus.StartHostAsync();

        Assert.Equal(5, crm.Calls.Count);
        Assert.Null((await OutgoingQueueAsync(bus)).CircuitBreaker);
        Assert.DoesNotContain(bus.Signals.Seen, s => s.EventId == EventIds.CircuitBreakerOpened);
    }

    [Fact]
    public async Task AddConnector_BreakerOptionOutOfRange_FailsNamingOptionAndRange()
    {
        var exception = await Assert.ThrowsAsync<OptionsValidationException>(
            () => TestBus.StartAsync([], b => b.AddConnector(Crm(), o => o.CircuitBreaker.MinimumThroughput = 1), start: false));

        Assert.Contains("crm.CircuitBreaker.MinimumThroughput must be between 2 and 1000000", exception.Message, StringComparison.Ordinal);
    }

    private static RecordingConnector Crm() => new("crm", s => s.Objects("cms.user", SubscriptionMode.AsyncSimple));

    private static void Breaker(ConnectorOptions options, int maxAttempts)
    {
        options.MaxAttempts = maxAttempts;
        options.CircuitBreaker.Enabled = true;
        options.CircuitBreaker.FailureRatio = 1;
        options.CircuitBreaker.MinimumThroughput = 3;
        options.CircuitBreaker.BreakDuration = BreakDuration;
    }

    private static async Task LogUsersAsync(TestBus bus, int count)
    {
        await bus.EnsureStartedAsync();
        for (var i = 1; i <= count; i++)
        {
            await bus.Bus.LogChangeAsync(SampleTypes.NewUser(i, $"u{i}"), TaskType.CreateObject, Token);
        }
    }

    private static Task<IReadOnlyDictionary<string, object?>> NextBreakerEventAsync(TestBus bus, int eventId) =>
        bus.Signals.NextAsync(eventId, s => Equals(s.GetValueOrDefault("ConnectorName"), "crm"));

    private static async Task<QueueOverview> OutgoingQueueAsync(TestBus bus) =>
        (await bus.Management.GetQueuesAsync(Token)).Single(q => q.Connector == "crm" && q.Direction == TaskDirection.Outgoing);
}
