
namespace IntegrationBus.Tests.Model;

public class TaskPayloadTests
{
    private static readonly ObjectTypeRegistry Registry = TestModel.Registry();

    [Fact]
    public void Serialize_AnyDataType_WritesVersionOneAndDataType()
    {
        var json = TaskPayload.Serialize(new ObjectSnapshot(Poll()), DataType.SimpleSnapshot);

        Assert.StartsWith("{\"v\":1,", json, StringComparison.Ordinal);
        Assert.Contains("\"dataType\":\"SimpleSnapshot\"", json, StringComparison.Ordinal);
        Assert.Contains("\"type\":\"polls.poll\"", json, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", json, StringComparison.Ordinal);
    }

    [Fact]
    public void RoundTrip_Simple_PreservesValues()
    {
        var guid = Guid.NewGuid();
        var poll = Poll(guid);

        var read = RoundTrip(new ObjectSnapshot(poll), DataType.Simple);

        var obj = read.Object;
        Assert.Equal(TestModel.Poll, obj.TypeName);
        Assert.Equal(long.MaxValue, obj["PollID"]);
        Assert.Equal(guid.ToString("D"), obj["PollGUID"]);
        Assert.Equal(guid, obj.Guid);
        Assert.Equal("Ünïcødé ✓ 😀 \"quoted\" \\ \n line", obj["PollQuestion"]);
        Assert.Equal(-12L, obj["PollVotes"]);
        Assert.Equal(1234567.891m, obj["PollScore"]);
        Assert.Equal(true, obj["PollOpen"]);
        Assert.True(obj.Fields.ContainsKey("PollNote"));
        Assert.Null(obj["PollNote"]);
        Assert.Equal(["red", 2L, false, null, 0.5m], Assert.IsType<object?[]>(obj["PollTags"]));
        Assert.Empty(read.References);
        Assert.Empty(read.Children);
        Assert.Empty(read.Bindings);
        Assert.True(poll.HasSameValues(obj));
    }

    [Fact]
    public void RoundTrip_FieldNotSet_StaysUnset()
    {
        var poll = TestModel.NewObject(Registry, TestModel.Poll, ("PollID", 1));

        var read = RoundTrip(new ObjectSnapshot(poll), DataType.Simple).Object;

        Assert.Equal(["PollID"], read.Fields.Keys);
    }

    [Fact]
    public void RoundTrip_SimpleSnapshot_PreservesReferencesWithParentRecord()
    {
        var parent = new TranslationRecord(TestModel.Poll, 10, Guid.NewGuid(), "favourite-colour", "Shop");
        var owner = new TranslationRecord(TestModel.User, 7, Guid.NewGuid(), "admin");
        var author = new TranslationRecord(TestModel.Answer, 11, null, "blue", null, parent);
        var snapshot = new ObjectSnapshot(
            Poll(Guid.NewGuid()),
            new Dictionary<string, TranslationRecord> { ["PollOwnerID"] = owner, ["PollCreatedByID"] = author });

        var read = RoundTrip(snapshot, DataType.SimpleSnapshot);

        Assert.Equal(2, read.References.Count);
        Assert.Equal(owner, read.References["PollOwnerID"]);
        Assert.Equal(author, read.References["PollCreatedByID"]);
        Assert.Equal(parent, read.References["PollCreatedByID"].Parent);
    }

    [Fact]
    public void RoundTrip_Snapshot_PreservesChildrenAndBindingsWithTheirReferences()
    {
        var role = new TranslationRecord(TestModel.Role, 3, Guid.NewGuid(), "editors", "Shop");
        var author = new TranslationRecord(TestModel.User, 8, Guid.NewGuid(), "jane");
        var answers = new[]
        {
            new ObjectSnapshot(
                TestModel.NewObject(Registry, TestModel.Answer, ("AnswerID", 21), ("AnswerPollID", 1), ("AnswerText", "Rot"), ("AnswerAuthorID", 8)),
                new Dictionary<string, TranslationRecord> { ["AnswerAuthorID"] = author }),
            new ObjectSnapshot(TestModel.NewObject(Registry, TestModel.Answer, ("AnswerID", 22), ("AnswerPollID", 1), ("AnswerText", "青"))),
        };
        var binding = new ObjectSnapshot(
            TestModel.NewObject(Registry, TestModel.PollRole, ("PollRoleID", 31), ("PollRolePollID", 1), ("PollRoleRoleID", 3)),
            new Dictionary<string, TranslationRecord> { ["PollRoleRoleID"] = role });
        var snapshot = new ObjectSnapshot(TestModel.NewObject(Registry, TestModel.Poll, ("PollID", 1)), null, answers, [binding]);

        var read = RoundTrip(snapshot, DataType.Snapshot);

        Assert.Equal(2, read.Children.Count);
        Assert.Equal(TestModel.Answer, read.Children[0].Object.TypeName);
        Assert.True(answers[0].Object.HasSameValues(read.Children[0].Object));
        Assert.True(answers[1].Object.HasSameValues(read.Children[1].Object));
        Assert.Equal(author, read.Children[0].References["AnswerAuthorID"]);
        Assert.Empty(read.Children[1].References);
        var readBinding = Assert.Single(read.Bindings);
        Assert.True(binding.Object.HasSameValues(readBinding.Object));
        Assert.Equal(role, readBinding.References["PollRoleRoleID"]);
    }

    [Fact]
    public void RoundTrip_TypeNameInOtherCase_ResolvesRegisteredType()
    {
        var read = TaskPayload.Deserialize("""{"v":1,"object":{"type":"POLLS.POLL","fields":{"PollID":5}}}""", Registry);

        Assert.Same(Registry.Get(TestModel.Poll), read.Object.Type);
        Assert.Equal(5L, read.Object.Id);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{\"v\":1,")]
    [InlineData("")]
    public void Deserialize_NotJson_ThrowsSayingNotValidJson(string payload)
    {
        var exception = Assert.Throws<TaskPayloadException>(() => TaskPayload.Deserialize(payload, Registry));

        Assert.Contains("not valid JSON", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"object":{"type":"polls.poll","fields":{}}}""")]
    [InlineData("""{"v":2,"object":{"type":"polls.poll","fields":{}}}""")]
    [InlineData("""{"v":"1","object":{"type":"polls.poll","fields":{}}}""")]
    [InlineData("""{"v":1.5,"object":{"type":"polls.poll","fields":{}}}""")]
    [InlineData("""{"v":99999999999,"object":{"type":"polls.poll","fields":{}}}""")]
    [InlineData("""[1]""")]
    public void Deserialize_MissingOrUnsupportedVersion_ThrowsSayingVersion(string payload)
    {
        var exception = Assert.Throws<TaskPayloadException>(() => TaskPayload.Deserialize(payload, Registry));

        Assert.Contains("no supported version", exception.Message, StringComparison.Ordinal);
        Assert.Contains("\"v\": 1", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Deserialize_NoObject_ThrowsSayingObject()
    {
        var exception = Assert.Throws<TaskPayloadException>(() => TaskPayload.Deserialize("""{"v":1}""", Registry));

        Assert.Contains("\"object\"", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Deserialize_UnknownObjectType_ThrowsNamingType()
    {
        var exception = Assert.Throws<TaskPayloadException>(() =>
            TaskPayload.Deserialize("""{"v":1,"object":{"type":"polls.vote","fields":{"VoteID":1}}}""", Registry));

        Assert.Contains("'polls.vote'", exception.Message, StringComparison.Ordinal);
        Assert.Contains("not registered", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Deserialize_UnknownTypeOfChild_ThrowsNamingType()
    {
        var exception = Assert.Throws<TaskPayloadException>(() => TaskPayload.Deserialize(
            """{"v":1,"object":{"type":"polls.poll","fields":{"PollID":1},"children":[{"type":"polls.vote","fields":{}}]}}""", Registry));

        Assert.Contains("'polls.vote'", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Deserialize_FieldNotDeclared_ThrowsNamingFieldAndType()
    {
        var exception = Assert.Throws<TaskPayloadException>(() =>
            TaskPayload.Deserialize("""{"v":1,"object":{"type":"polls.poll","fields":{"PollID":1,"PollColour":"red"}}}""", Registry));

        Assert.Contains("'PollColour'", exception.Message, StringComparison.Ordinal);
        Assert.Contains("'polls.poll'", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"v":1,"object":{"type":"polls.poll","fields":{"PollID":1,"PollNote":{"nested":true}}}}""")]
    [InlineData("""{"v":1,"object":{"type":"polls.poll","fields":{"PollID":1,"PollNote":[1,{"nested":true}]}}}""")]
    public void Deserialize_NestedObjectAsFieldValue_ThrowsNamingFieldAndType(string payload)
    {
        var exception = Assert.Throws<TaskPayloadException>(() => TaskPayload.Deserialize(payload, Registry));

        Assert.Contains("JSON Object", exception.Message, StringComparison.Ordinal);
        Assert.Contains("'PollNote'", exception.Message, StringComparison.Ordinal);
        Assert.Contains("'polls.poll'", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Deserialize_ReferenceWithoutId_ThrowsSayingTypeOrId()
    {
        var exception = Assert.Throws<TaskPayloadException>(() => TaskPayload.Deserialize(
            """{"v":1,"object":{"type":"polls.poll","fields":{"PollID":1},"refs":{"PollOwnerID":{"type":"cms.user"}}}}""", Registry));

        Assert.Contains("\"id\"", exception.Message, StringComparison.Ordinal);
    }

    private static ObjectSnapshot RoundTrip(ObjectSnapshot snapshot, DataType dataType) =>
        TaskPayload.Deserialize(TaskPayload.Serialize(snapshot, dataType), Registry);

    private static BusObject Poll(Guid guid = default) =>
        TestModel.NewObject(Registry, TestModel.Poll,
            ("PollID", long.MaxValue),
            ("PollGUID", guid),
            ("PollQuestion", "Ünïcødé ✓ 😀 \"quoted\" \\ \n line"),
            ("PollVotes", -12),
            ("PollScore", 1234567.891m),
            ("PollOpen", true),
            ("PollNote", null),
            ("PollTags", new object?[] { "red", 2, false, null, 0.5m }));
}
