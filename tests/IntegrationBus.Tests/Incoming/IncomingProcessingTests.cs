using IntegrationBus.Storage;
using IntegrationBus.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationBus.Tests.Incoming;

public sealed class IncomingProcessingTests
{
    private static readonly Guid AnnGuid = Guid.NewGuid();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static async Task<(TestBus Bus, CrmInboundConnector Crm, InMemoryDataHandler Data)> StartAsync(
        Action<IntegrationBusBuilder>? configure = null, bool relay = false, params Connector[] others)
    {
        var crm = new CrmInboundConnector("crm", relay);
        crm.Users["crm-ann"] = new TranslationRecord("cms.user", 0, AnnGuid, "ann");
        var data = new InMemoryDataHandler();
        data.Objects.Add(SampleTypes.Create(SampleTypes.User, ("UserID", 42), ("UserGuid", AnnGuid), ("UserName", "ann")));
        var bus = await TestBus.StartAsync([crm, .. others], b =>
        {
            b.Services.AddSingleton<IInternalDataHandler>(data);
            configure?.Invoke(b);
        });
        return (bus, crm, data);
    }

    private static Task<ExternalTaskResult> SendAsync(TestBus bus, string email, IncomingPolicy policy = IncomingPolicy.Default, string? owner = "crm-ann", string? key = null) =>
        bus.Bus.ProcessExternalTaskAsync("crm", new CrmContact(Guid.NewGuid(), email, owner), TaskType.CreateObject, DataType.SimpleSnapshot, "main", policy, key, Token);

    [Fact]
    public async Task ProcessExternalTaskAsync_Queued_AppliedWithReferenceResolvedByGuid()
    {
        var (bus, _, data) = await StartAsync();
        await using var _ = bus;

        var result = await SendAsync(bus, "a@example.com");

        Assert.Equal(ExternalTaskStatus.Queued, result.Status);
        Assert.NotNull(result.TaskId);
        await data.WaitForAppliedAsync(1);
        var applied = data.Applied[0];
        Assert.Equal(42L, applied.Object["UserID"]);
        Assert.Equal("main", applied.Object.Site);
        Assert.Equal("crm", applied.ConnectorName);
        Assert.Null(applied.ExistingObjectId);
        Assert.Contains(data.Lookups, l => l.Guid == AnnGuid);
    }

    [Fact]
    public async Task Resolver_NoGuidMatch_FindsByCodeNameAndSite()
    {
        var (bus, crm, data) = await StartAsync();
        await using var _ = bus;
        crm.Users["crm-ann"] = new TranslationRecord("cms.user", 0, Guid.NewGuid(), "ann");

        await SendAsync(bus, "a@example.com");

        await data.WaitForAppliedAsync(1);
        Assert.Equal(42L, data.Applied[0].Object["UserID"]);
    }

    [Fact]
    public async Task Resolver_RecordWithParent_ResolvesParentFirstAndLooksUpCodeNameUnderIt()
    {
        var choice = new ObjectTypeBuilder("polls.choice").Id("ChoiceID").CodeName("ChoiceName").Parent("polls.poll", "PollID").Build();
        var types = new ObjectTypeRegistry([.. SampleTypes.All, choice]);
        var data = new InMemoryDataHandler();
        var poll5 = SampleTypes.NewPoll(5);
        var poll6 = SampleTypes.NewPoll(6);
        data.Objects.AddRange([
            poll5,
            poll6,
            SampleTypes.Create(choice, ("ChoiceID", 9), ("ChoiceName", "yes"), ("PollID", 6)),
            SampleTypes.Create(choice, ("ChoiceID", 8), ("ChoiceName", "yes"), ("PollID", 5)),
        ]);
        var resolver = new ReferenceResolver(types, data);

        var id = await resolver.ResolveAsync(new TranslationRecord("polls.choice", 0, CodeName: "yes", Parent: new TranslationRecord("polls.poll", 0, poll5.Guid)), Token);

        Assert.Equal(8, id);
        Assert.Equal([(string?)null, "yes"], data.Lookups.Select(l => l.CodeName));
        Assert.Equal(5, data.Lookups[1].ParentId);
        var missingParent = await Assert.ThrowsAsync<ReferenceResolutionException>(() =>
            resolver.ResolveAsync(new TranslationRecord("polls.choice", 0, CodeName: "yes", Parent: new TranslationRecord("polls.poll", 0, Guid.NewGuid(), "nope")), Token));
        Assert.Contains("parent", missingParent.Message, StringComparison.Ordinal);
        Assert.Contains("'nope'", missingParent.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Resolver_RequiredReferenceMissing_FailsTaskNamingItAndBlocksQueueUntilOperatorActs()
    {
        var (bus, crm, data) = await StartAsync();
        await using var _ = bus;
        crm.Users["crm-bob"] = new TranslationRecord("cms.user", 0, Guid.NewGuid(), "bob");

        var waiting = bus.NextRunnerIdleAsync("crm", TaskDirection.Incoming);
        var first = await SendAsync(bus, "bob@example.com", owner: "crm-bob");
        await waiting;
        waiting = bus.NextRunnerIdleAsync("crm", TaskDirection.Incoming);
        await SendAsync(bus, "a@example.com");
        await waiting;

        Assert.Empty(data.Applied);
        var queued = await bus.ListAsync("crm", TaskDirection.Incoming);
        Assert.Equal(2, queued.Count);
        Assert.Equal(SynchronizationStatus.Error, queued[0].Status);
        Assert.Null(queued[0].NextAttemptAt);
        Assert.Contains("'crm.contact.UserID' = crm-bob", queued[0].LastError, StringComparison.Ordinal);
        Assert.Contains("'bob'", queued[0].LastError, StringComparison.Ordinal);

        // No timer retries it: advancing time past any back-off changes nothing.
        waiting = bus.NextRunnerIdleAsync("crm", TaskDirection.Incoming);
        bus.Time.Advance(TimeSpan.FromMinutes(10));
        await waiting;
        Assert.Empty(data.Applied);

        data.Objects.Add(SampleTypes.Create(SampleTypes.User, ("UserID", 43), ("UserGuid", crm.Users["crm-bob"].Guid), ("UserName", "bob")));
        Assert.Equal(1, await bus.Management.RetryTaskAsync(first.TaskId!.Value, "crm", cancellationToken: Token));
        await data.WaitForAppliedAsync(2);
        Assert.Equal(["bob@example.com", "a@example.com"], data.Applied.Select(a => a.Object.GetString("Email")));
    }

    [Fact]
    public async Task DeleteTaskAsync_ErrorBlockingQueue_UnblocksLaterTasks()
    {
        var (bus, _, data) = await StartAsync();
        await using var _ = bus;
        var waiting = bus.NextRunnerIdleAsync("crm", TaskDirection.Incoming);
        var blocked = await SendAsync(bus, "x@example.com", owner: "crm-unknown");
        await waiting;
        await SendAsync(bus, "a@example.com");

        Assert.Equal(1, await bus.Management.DeleteTaskAsync(blocked.TaskId!.Value, cancellationToken: Token));

        await data.WaitForAppliedAsync(1);
        Assert.Equal("a@example.com", data.Applied[0].Object.GetString("Email"));
    }

    [Fact]
    public async Task Policy_SkipOnError_RecordsKeepsAndGoesOn()
    {
        var (bus, _, data) = await StartAsync();
        await using var _ = bus;
        data.Apply = task => Task.FromResult(task.Object.GetString("Email") == "bad@example.com" ? TaskResult.Error("duplicate e-mail") : TaskResult.Ok);

        await bus.Management.UpdateSettingsAsync(BusSettings.Default with { ProcessIncoming = false }, cancellationToken: Token);
        await SendAsync(bus, "bad@example.com", IncomingPolicy.SkipOnError);
        await SendAsync(bus, "a@example.com", IncomingPolicy.SkipOnError);
        await bus.Management.UpdateSettingsAsync(BusSettings.Default, cancellationToken: Token);
        await data.WaitForAppliedAsync(2);

        // Any wait of the runner from now on comes after that run recorded its results.
        var idle = bus.NextRunnerIdleAsync("crm", TaskDirection.Incoming);
        await bus.Bus.RequestProcessingAsync("crm", TaskDirection.Incoming, Token);
        await idle;

        Assert.Equal(["bad@example.com", "a@example.com"], data.Applied.Take(2).Select(a => a.Object.GetString("Email")));
        var kept = Assert.Single(await bus.ListAsync("crm", TaskDirection.Incoming));
        Assert.Equal(SynchronizationStatus.Skipped, kept.Status);
        Assert.Equal("duplicate e-mail", kept.LastError);
    }

    [Fact]
    public async Task Policy_DeleteOnError_DropsTaskAndGoesOn()
    {
        var (bus, _, data) = await StartAsync();
        await using var _ = bus;
        data.Apply = task => Task.FromResult(task.Object.GetString("Email") == "bad@example.com" ? TaskResult.Error("duplicate e-mail") : TaskResult.Ok);
        var idle = bus.NextRunnerIdleAsync("crm", TaskDirection.Incoming);

        await SendAsync(bus, "bad@example.com", IncomingPolicy.DeleteOnError);
        await idle;
        await SendAsync(bus, "a@example.com", IncomingPolicy.DeleteOnError);

        await data.WaitForAppliedAsync(2);
        idle = bus.NextRunnerIdleAsync("crm", TaskDirection.Incoming);
        await bus.Bus.RequestProcessingAsync("crm", TaskDirection.Incoming, Token);
        await idle;
        Assert.Empty(await bus.ListAsync("crm", TaskDirection.Incoming));
    }

    [Fact]
    public async Task Policy_SkipOnce_SkipsFirstPassThenApplies()
    {
        var (bus, _, data) = await StartAsync();
        await using var _ = bus;
        var waiting = bus.NextRunnerWaitAsync("crm", TaskDirection.Incoming);

        await SendAsync(bus, "later@example.com", IncomingPolicy.SkipOnce);
        var delay = await waiting;
        Assert.Empty(data.Applied);

        bus.Time.Advance(delay);
        await data.WaitForAppliedAsync(1);
    }

    [Fact]
    public async Task Policy_Default_HandlerFails_TaskInErrorBlocksQueue()
    {
        var (bus, _, data) = await StartAsync();
        await using var _ = bus;
        data.Apply = _ => throw new InvalidOperationException("constraint violated");
        var idle = bus.NextRunnerIdleAsync("crm", TaskDirection.Incoming);

        await SendAsync(bus, "a@example.com");
        await idle;

        var failed = Assert.Single(await bus.ListAsync("crm", TaskDirection.Incoming));
        Assert.Equal(SynchronizationStatus.Error, failed.Status);
        Assert.Contains("constraint violated", failed.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProcessExternalTaskAsync_RepeatedIdempotencyKey_AnswersFirstResultAndQueuesNothingNew()
    {
        var (bus, _, _) = await StartAsync(b => b.Services.AddSingleton<IInternalDataHandler>(new InMemoryDataHandler { Apply = _ => Task.FromResult(TaskResult.SkipNow()) }));
        await using var _ = bus;

        var first = await SendAsync(bus, "a@example.com", key: "order-1");
        var again = await SendAsync(bus, "a@example.com", key: "order-1");

        Assert.Equal(ExternalTaskStatus.Queued, first.Status);
        Assert.Equal(ExternalTaskStatus.Repeated, again.Status);
        Assert.Equal(first.TaskId, again.TaskId);
        Assert.Equal(first.TaskGuid, again.TaskGuid);
        Assert.Single(await bus.ListAsync("crm", TaskDirection.Incoming));
    }

    [Fact]
    public async Task ProcessExternalTasksAsync_Bulk_OneResultEachInOrderAndRefusalsQueueNothing()
    {
        var (bus, _, data) = await StartAsync();
        await using var _ = bus;
        ExternalChange Contact(string email, string? key = null) =>
            new(new CrmContact(Guid.NewGuid(), email, "crm-ann"), TaskType.CreateObject, DataType.SimpleSnapshot, "main", IdempotencyKey: key);

        var results = await bus.Bus.ProcessExternalTasksAsync(
            "crm",
            [Contact("a@example.com", "k1"), new ExternalChange("not a contact", TaskType.CreateObject, DataType.Simple), Contact("b@example.com"), Contact("a-again@example.com", "k1")],
            Token);

        Assert.Equal([ExternalTaskStatus.Queued, ExternalTaskStatus.Rejected, ExternalTaskStatus.Queued, ExternalTaskStatus.Repeated], results.Select(r => r.Status));
        Assert.Equal(results[0].TaskId, results[3].TaskId);
        await data.WaitForAppliedAsync(2);
        Assert.Equal(["a@example.com", "b@example.com"], data.Applied.Select(a => a.Object.GetString("Email")));
    }

    [Theory]
    [InlineData("nope", ExternalTaskStatus.UnknownConnector, "'nope'")]
    [InlineData("disabled", ExternalTaskStatus.ConnectorDisabled, "disabled")]
    [InlineData("logging-off", ExternalTaskStatus.LoggingDisabled, "switched off")]
    [InlineData("rejected", ExternalTaskStatus.Rejected, "CRM says no")]
    [InlineData("unknown-site", ExternalTaskStatus.UnknownSite, "'elsewhere'")]
    [InlineData("all", ExternalTaskStatus.Invalid, "'All'")]
    [InlineData("page-operation", ExternalTaskStatus.Invalid, "PublishPage")]
    public async Task ProcessExternalTaskAsync_Refused_SaysWhyAndQueuesNothing(string scenario, ExternalTaskStatus expected, string inMessage)
    {
        var (bus, crm, _) = await StartAsync(b => b.Configure(o => o.Sites.Add("main")));
        await using var _ = bus;
        var connector = "crm";
        var site = "main";
        var taskType = TaskType.CreateObject;
        switch (scenario)
        {
            case "nope": connector = "nope"; break;
            case "disabled": await bus.Management.SetConnectorEnabledAsync("crm", false, cancellationToken: Token); break;
            case "logging-off": await bus.Management.UpdateSettingsAsync(BusSettings.Default with { LogIncoming = false }, cancellationToken: Token); break;
            case "rejected": crm.RejectReason = "CRM says no"; break;
            case "unknown-site": site = "elsewhere"; break;
            case "all": taskType = TaskType.All; break;
            case "page-operation": taskType = TaskType.PublishPage; break;
        }

        var result = await bus.Bus.ProcessExternalTaskAsync(connector, new CrmContact(Guid.NewGuid(), "a@example.com", "crm-ann"), taskType, DataType.Simple, site, cancellationToken: Token);

        Assert.Equal(expected, result.Status);
        Assert.Contains(inMessage, result.Message, StringComparison.Ordinal);
        Assert.Null(result.TaskId);
        Assert.Empty(await bus.ListAsync());
    }

    [Fact]
    public async Task Settings_ProcessIncomingOff_TasksWaitUntilSwitchedOn()
    {
        var (bus, _, data) = await StartAsync();
        await using var _ = bus;
        await bus.Management.UpdateSettingsAsync(BusSettings.Default with { ProcessIncoming = false }, cancellationToken: Token);
        var idle = bus.NextRunnerIdleAsync("crm", TaskDirection.Incoming);

        await SendAsync(bus, "a@example.com");
        await idle;
        Assert.Empty(data.Applied);

        await bus.Management.UpdateSettingsAsync(BusSettings.Default, cancellationToken: Token);
        await data.WaitForAppliedAsync(1);
    }

    [Fact]
    public async Task RequestProcessing_ConnectorFilter_WakesOnlyThatConnector()
    {
        var other = new CrmInboundConnector("erp");
        var (bus, _, data) = await StartAsync(others: other);
        await using var _ = bus;
        var now = bus.Time.GetUtcNow();
        foreach (var name in new[] { "crm", "erp" })
        {
            var payload = "{\"v\":1,\"object\":{\"type\":\"crm.contact\",\"fields\":{\"ContactGuid\":\"" + Guid.NewGuid() + "\",\"Email\":\"" + name + "@example.com\"}}}";
            await bus.Store.Queue.AppendAsync([new NewIntegrationTask { Guid = Guid.NewGuid(), Direction = TaskDirection.Incoming, TaskType = TaskType.CreateObject, DataType = DataType.Simple, ObjectType = "crm.contact", Payload = payload, CreatedAt = now, Connectors = [name], OriginConnector = name }], null, Token);
        }

        var idle = bus.NextRunnerIdleAsync("erp", TaskDirection.Incoming);
        await bus.Bus.RequestProcessingAsync("erp", TaskDirection.Incoming, Token);
        await idle;

        Assert.Equal(["erp@example.com"], data.Applied.Select(a => a.Object.GetString("Email")));
    }

    [Fact]
    public async Task Loops_ConnectorDoesNotRelay_ApplyingLogsNoOutgoingTask()
    {
        var search = new RecordingConnector("search", s => s.AllObjects(SubscriptionMode.AsyncSimple));
        var (bus, _, data) = await StartAsync(others: search);
        await using var _ = bus;
        data.Apply = async task =>
        {
            await bus.Bus.LogChangeAsync(task.Object, TaskType.CreateObject, Token);
            return TaskResult.Ok;
        };

        await SendAsync(bus, "a@example.com");
        await data.WaitForAppliedAsync(1);
        await bus.Bus.LogChangeAsync(SampleTypes.NewUser(1, "outside-incoming"), TaskType.CreateObject, Token);

        await search.WaitForCallsAsync(1);
        Assert.Equal("cms.user", Assert.Single(search.Calls).Object.TypeName);
    }

    [Fact]
    public async Task Loops_ConnectorRelays_OthersReceiveChangeButOriginNever()
    {
        var search = new RecordingConnector("search", s => s.AllObjects(SubscriptionMode.AsyncSimple));
        var (bus, _, data) = await StartAsync(relay: true, others: search);
        await using var _ = bus;
        data.Apply = async task =>
        {
            await bus.Bus.LogChangeAsync(task.Object, TaskType.CreateObject, Token);
            return TaskResult.Ok;
        };

        await SendAsync(bus, "a@example.com");

        await search.WaitForCallsAsync(1);
        Assert.Equal("crm.contact", search.Calls[0].Object.TypeName);
        Assert.Empty(await bus.ListAsync("crm", TaskDirection.Outgoing));
    }
}
