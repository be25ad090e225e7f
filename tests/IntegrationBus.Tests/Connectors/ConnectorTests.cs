
namespace IntegrationBus.Tests.Connectors;

public class ConnectorTests
{
    private static readonly ObjectTypeRegistry Registry = TestModel.Registry();
    private static readonly DateTimeOffset CreatedAt = new(2025, 1, 2, 3, 4, 5, TimeSpan.Zero);

    [Fact]
    public async Task TranslateColumnsToExternalAsync_RequiredKeyWithLongExternalId_RewritesToLong()
    {
        var connector = new TranslatingConnector { ObjectIds = { [(TestModel.User, 7)] = 1007L } };
        var task = PollTask(createdBy: 7);

        await connector.TranslateAsync(task);

        Assert.Equal(1007L, task.Object["PollCreatedByID"]);
    }

    [Fact]
    public async Task TranslateColumnsToExternalAsync_RequiredKeyWithStringExternalId_RewritesToString()
    {
        var connector = new TranslatingConnector { ObjectIds = { [(TestModel.User, 7)] = "crm-user-7" } };
        var task = PollTask(createdBy: 7);

        await connector.TranslateAsync(task);

        Assert.Equal("crm-user-7", task.Object["PollCreatedByID"]);
    }

    [Fact]
    public async Task TranslateColumnsToExternalAsync_RequiredKeyWithGuidExternalId_RewritesToGuid()
    {
        var external = Guid.NewGuid();
        var connector = new TranslatingConnector { ObjectIds = { [(TestModel.User, 7)] = external } };
        var task = PollTask(createdBy: 7);

        await connector.TranslateAsync(task);

        Assert.Equal(external, task.Object["PollCreatedByID"]);
    }

    [Fact]
    public async Task TranslateColumnsToExternalAsync_LookupRecord_PassesTheTasksTranslationRecord()
    {
        var connector = new TranslatingConnector { ObjectIds = { [(TestModel.User, 7)] = 1L } };
        var task = PollTask(createdBy: 7);

        await connector.TranslateAsync(task);

        Assert.Equal(task.Snapshot.References["PollCreatedByID"], Assert.Single(connector.ObjectLookups));
    }

    [Fact]
    public async Task TranslateColumnsToExternalAsync_SameReferenceInTwoTasksOfOneRun_LooksUpOnce()
    {
        var connector = new TranslatingConnector { ObjectIds = { [(TestModel.User, 7)] = 1007L } };
        var cache = new TranslationCache(Registry);
        var first = PollTask(createdBy: 7, owner: 7, cache: cache);
        var second = PollTask(createdBy: 7, cache: cache);

        await connector.TranslateAsync(first);
        await connector.TranslateAsync(second);

        Assert.Single(connector.ObjectLookups);
        Assert.Equal(1007L, first.Object["PollCreatedByID"]);
        Assert.Equal(1007L, first.Object["PollOwnerID"]);
        Assert.Equal(1007L, second.Object["PollCreatedByID"]);
    }

    [Fact]
    public async Task TranslateColumnsToExternalAsync_UnknownReferenceInTwoTasksOfOneRun_LooksUpOnce()
    {
        var connector = new TranslatingConnector { ObjectIds = { [(TestModel.User, 7)] = 1007L } };
        var cache = new TranslationCache(Registry);
        var first = PollTask(createdBy: 7, owner: 9, cache: cache);
        var second = PollTask(createdBy: 7, owner: 9, cache: cache);

        await connector.TranslateAsync(first);
        await connector.TranslateAsync(second);

        Assert.Equal(2, connector.ObjectLookups.Count);
        Assert.Equal(9L, second.Object["PollOwnerID"]);
    }

    [Fact]
    public async Task TranslateColumnsToExternalAsync_SeparateRuns_LookUpAgain()
    {
        var connector = new TranslatingConnector { ObjectIds = { [(TestModel.User, 7)] = 1007L } };

        await connector.TranslateAsync(PollTask(createdBy: 7));
        await connector.TranslateAsync(PollTask(createdBy: 7));

        Assert.Equal(2, connector.ObjectLookups.Count);
    }

    [Fact]
    public async Task TranslateColumnsToExternalAsync_SameIdOfOtherType_LooksUpEach()
    {
        var connector = new TranslatingConnector { ObjectIds = { [(TestModel.User, 3)] = 1003L, [(TestModel.Role, 3)] = "role-3" } };
        var cache = new TranslationCache(Registry);
        var poll = PollTask(createdBy: 3, cache: cache);
        var binding = new ObjectSnapshot(
            TestModel.NewObject(Registry, TestModel.PollRole, ("PollRoleID", 31), ("PollRolePollID", 1), ("PollRoleRoleID", 3)),
            Refs(("PollRoleRoleID", Record(TestModel.Role, 3))));
        var task = Task(new ObjectSnapshot(TestModel.NewObject(Registry, TestModel.Poll, ("PollID", 2)), null, null, [binding]), cache);

        await connector.TranslateAsync(poll);
        await connector.TranslateAsync(task);

        Assert.Equal(1003L, poll.Object["PollCreatedByID"]);
        Assert.Equal("role-3", binding.Object["PollRoleRoleID"]);
    }

    [Fact]
    public async Task TranslateColumnsToExternalAsync_RequiredKeyWithoutExternalId_ThrowsNamingTypeFieldAndValue()
    {
        var connector = new TranslatingConnector();
        var task = PollTask(createdBy: 7);

        var exception = await Assert.ThrowsAsync<TranslationException>(() => connector.TranslateAsync(task));

        Assert.Contains("'polls.poll.PollCreatedByID' = 7", exception.Message, StringComparison.Ordinal);
        Assert.Contains("cms.user", exception.Message, StringComparison.Ordinal);
        Assert.Contains("'translating'", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TranslateColumnsToExternalAsync_OptionalKeyWithoutExternalId_LeavesValue()
    {
        var connector = new TranslatingConnector { ObjectIds = { [(TestModel.User, 7)] = 1007L } };
        var task = PollTask(createdBy: 7, owner: 9);

        await connector.TranslateAsync(task);

        Assert.Equal(9L, task.Object["PollOwnerID"]);
        Assert.Equal(1007L, task.Object["PollCreatedByID"]);
    }

    [Fact]
    public async Task TranslateColumnsToExternalAsync_RequiredKeyWithoutRecord_ThrowsNamingTypeFieldAndValue()
    {
        var connector = new TranslatingConnector { ObjectIds = { [(TestModel.User, 7)] = 1007L } };
        var poll = TestModel.NewObject(Registry, TestModel.Poll, ("PollID", 1), ("PollCreatedByID", 7));
        var task = Task(new ObjectSnapshot(poll));

        var exception = await Assert.ThrowsAsync<TranslationException>(() => connector.TranslateAsync(task));

        Assert.Contains("'polls.poll.PollCreatedByID' = 7", exception.Message, StringComparison.Ordinal);
        Assert.Contains("no translation record", exception.Message, StringComparison.Ordinal);
        Assert.Empty(connector.ObjectLookups);
    }

    [Fact]
    public async Task TranslateColumnsToExternalAsync_OptionalKeyWithoutRecord_LeavesValue()
    {
        var connector = new TranslatingConnector { ObjectIds = { [(TestModel.User, 7)] = 1007L } };
        var poll = TestModel.NewObject(Registry, TestModel.Poll, ("PollID", 1), ("PollCreatedByID", 7), ("PollOwnerID", 9));
        var task = Task(new ObjectSnapshot(poll, Refs(("PollCreatedByID", Record(TestModel.User, 7)))));

        await connector.TranslateAsync(task);

        Assert.Equal(9L, task.Object["PollOwnerID"]);
        Assert.Single(connector.ObjectLookups);
    }

    [Fact]
    public async Task TranslateColumnsToExternalAsync_EmptyKeys_AreNotLookedUp()
    {
        var connector = new TranslatingConnector();
        var poll = TestModel.NewObject(Registry, TestModel.Poll, ("PollID", 1), ("PollCreatedByID", null));
        var task = Task(new ObjectSnapshot(poll));

        await connector.TranslateAsync(task);

        Assert.Null(task.Object["PollCreatedByID"]);
        Assert.Empty(connector.ObjectLookups);
    }

    [Fact]
    public async Task TranslateColumnsToExternalAsync_PageReference_UsesPageLookup()
    {
        var connector = new TranslatingConnector
        {
            ObjectIds = { [(TestModel.User, 7)] = 1007L, [(TestModel.Product, 40)] = "wrong" },
            PageIds = { [40] = "page-40" },
        };
        var contact = TestModel.NewObject(Registry, TestModel.Contact, ("ContactID", 1), ("ContactHomePageID", 40), ("ContactManagerID", 7));
        var page = new TranslationRecord(TestModel.Product, 40, Guid.NewGuid(), "/Products/Phones");
        var task = Task(new ObjectSnapshot(contact, Refs(("ContactHomePageID", page), ("ContactManagerID", Record(TestModel.User, 7)))));

        await connector.TranslateAsync(task);

        Assert.Equal("page-40", task.Object["ContactHomePageID"]);
        Assert.Equal(page, Assert.Single(connector.PageLookups));
        Assert.Equal(TestModel.User, Assert.Single(connector.ObjectLookups).ObjectType);
    }

    [Fact]
    public async Task TranslateColumnsToExternalAsync_RequiredPageKeyWithoutExternalId_Throws()
    {
        var connector = new TranslatingConnector { ObjectIds = { [(TestModel.User, 7)] = 1007L } };
        var contact = TestModel.NewObject(Registry, TestModel.Contact, ("ContactID", 1), ("ContactHomePageID", 40), ("ContactManagerID", 7));
        var task = Task(new ObjectSnapshot(contact, Refs(("ContactHomePageID", Record(TestModel.Product, 40)), ("ContactManagerID", Record(TestModel.User, 7)))));

        var exception = await Assert.ThrowsAsync<TranslationException>(() => connector.TranslateAsync(task));

        Assert.Contains("'crm.contact.ContactHomePageID' = 40", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TranslateColumnsToExternalAsync_Snapshot_TranslatesChildrenAndBindings()
    {
        var connector = new TranslatingConnector
        {
            ObjectIds = { [(TestModel.User, 7)] = 1007L, [(TestModel.User, 8)] = 1008L, [(TestModel.Role, 3)] = "role-3" },
        };
        var answer = new ObjectSnapshot(
            TestModel.NewObject(Registry, TestModel.Answer, ("AnswerID", 21), ("AnswerPollID", 1), ("AnswerAuthorID", 8)),
            Refs(("AnswerAuthorID", Record(TestModel.User, 8))));
        var binding = new ObjectSnapshot(
            TestModel.NewObject(Registry, TestModel.PollRole, ("PollRoleID", 31), ("PollRolePollID", 1), ("PollRoleRoleID", 3)),
            Refs(("PollRoleRoleID", Record(TestModel.Role, 3))));
        var poll = TestModel.NewObject(Registry, TestModel.Poll, ("PollID", 1), ("PollCreatedByID", 7));
        var task = Task(new ObjectSnapshot(poll, Refs(("PollCreatedByID", Record(TestModel.User, 7))), [answer], [binding]), dataType: DataType.Snapshot);

        await connector.TranslateAsync(task);

        Assert.Equal(1007L, task.Object["PollCreatedByID"]);
        Assert.Equal(1008L, answer.Object["AnswerAuthorID"]);
        Assert.Equal("role-3", binding.Object["PollRoleRoleID"]);
    }

    [Fact]
    public async Task TranslateColumnsToExternalAsync_ChildKeyWithoutExternalId_ThrowsNamingChildType()
    {
        var connector = new TranslatingConnector { ObjectIds = { [(TestModel.User, 7)] = 1007L } };
        var answer = new ObjectSnapshot(
            TestModel.NewObject(Registry, TestModel.Answer, ("AnswerID", 21), ("AnswerPollID", 1), ("AnswerAuthorID", 8)),
            Refs(("AnswerAuthorID", Record(TestModel.User, 8))));
        var poll = TestModel.NewObject(Registry, TestModel.Poll, ("PollID", 1), ("PollCreatedByID", 7));
        var task = Task(new ObjectSnapshot(poll, Refs(("PollCreatedByID", Record(TestModel.User, 7))), [answer]), dataType: DataType.Snapshot);

        var exception = await Assert.ThrowsAsync<TranslationException>(() => connector.TranslateAsync(task));

        Assert.Contains("'polls.answer.AnswerAuthorID' = 8", exception.Message, StringComparison.Ordinal);
    }

    private static OutgoingTask PollTask(long createdBy, long? owner = null, TranslationCache? cache = null)
    {
        var poll = TestModel.NewObject(Registry, TestModel.Poll, ("PollID", 1), ("PollCreatedByID", createdBy), ("PollOwnerID", owner));
        var references = new Dictionary<string, TranslationRecord>(StringComparer.Ordinal)
        {
            ["PollCreatedByID"] = Record(TestModel.User, createdBy),
        };
        if (owner is { } ownerId)
        {
            references["PollOwnerID"] = Record(TestModel.User, ownerId);
        }

        return Task(new ObjectSnapshot(poll, references), cache);
    }

    private static OutgoingTask Task(ObjectSnapshot snapshot, TranslationCache? cache = null, DataType dataType = DataType.SimpleSnapshot) =>
        new(1, Guid.NewGuid(), TaskType.UpdateObject, dataType, snapshot, CreatedAt, 1, cache ?? new TranslationCache(Registry));

    private static TranslationRecord Record(string type, long id) =>
        new(type, id, Guid.NewGuid(), string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{type}-{id}"));

    private static Dictionary<string, TranslationRecord> Refs(params (string Field, TranslationRecord Record)[] references) =>
        references.ToDictionary(r => r.Field, r => r.Record, StringComparer.Ordinal);

    private sealed class TranslatingConnector() : Connector("translating")
    {
        public Dictionary<(string Type, long Id), ExternalId> ObjectIds { get; } = [];

        public Dictionary<long, ExternalId> PageIds { get; } = [];

        public List<TranslationRecord> ObjectLookups { get; } = [];

        public List<TranslationRecord> PageLookups { get; } = [];

        public Task TranslateAsync(OutgoingTask task) => TranslateColumnsToExternalAsync(task, TestContext.Current.CancellationToken);

        protected override void Subscribe(SubscriptionBuilder subscriptions) => subscriptions.AllObjects(SubscriptionMode.AsyncSimpleSnapshot);

        protected override ValueTask<ExternalId?> GetExternalObjectIdAsync(TranslationRecord reference, CancellationToken cancellationToken)
        {
            ObjectLookups.Add(reference);
            return ValueTask.FromResult(ObjectIds.TryGetValue((reference.ObjectType, reference.Id), out var id) ? id : (ExternalId?)null);
        }

        protected override ValueTask<ExternalId?> GetExternalPageIdAsync(TranslationRecord reference, CancellationToken cancellationToken)
        {
            PageLookups.Add(reference);
            return ValueTask.FromResult(PageIds.TryGetValue(reference.Id, out var id) ? id : (ExternalId?)null);
        }
    }
}
