
namespace IntegrationBus.Tests.Model;

/// <summary>The fast payload path agrees with the thorough one, and gives way to it for anything unusual.</summary>
public sealed class TaskPayloadReaderTests
{
    private static readonly ObjectTypeRegistry Registry = TestModel.Registry();

    public static TheoryData<string> WrittenPayloads()
    {
        var parent = new TranslationRecord(TestModel.Poll, 10, Guid.NewGuid(), "favourite-colour", "Shop");
        var author = new TranslationRecord(TestModel.Answer, 11, null, "blue", null, parent);
        var poll = TestModel.NewObject(Registry, TestModel.Poll,
            ("PollID", long.MaxValue), ("PollQuestion", "Ünïcødé ✓ 😀 \"quoted\" \\ \n line"), ("PollVotes", -12), ("PollScore", 1234567.891m),
            ("PollOpen", true), ("PollNote", null), ("PollTags", new object?[] { "red", 2L, false, null, 0.5m }));
        var answer = new ObjectSnapshot(
            TestModel.NewObject(Registry, TestModel.Answer, ("AnswerID", 21), ("AnswerPollID", 1), ("AnswerText", "青"), ("AnswerAuthorID", 8)),
            new Dictionary<string, TranslationRecord> { ["AnswerAuthorID"] = author });
        var binding = new ObjectSnapshot(TestModel.NewObject(Registry, TestModel.PollRole, ("PollRoleID", 31), ("PollRolePollID", 1), ("PollRoleRoleID", 3)));
        return
        [
            TaskPayload.Serialize(new ObjectSnapshot(poll), DataType.Simple),
            TaskPayload.Serialize(new ObjectSnapshot(poll, new Dictionary<string, TranslationRecord> { ["PollCreatedByID"] = author }), DataType.SimpleSnapshot),
            TaskPayload.Serialize(new ObjectSnapshot(poll, null, [answer], [binding]), DataType.Snapshot),
        ];
    }

    [Theory]
    [MemberData(nameof(WrittenPayloads))]
    public void TryRead_PayloadTheBusWrote_ReadsItBackExactly(string payload)
    {
        var fast = TaskPayloadReader.TryRead(payload, Registry, null);

        Assert.NotNull(fast);
        var dataType = payload.Contains("\"Snapshot\"", StringComparison.Ordinal) ? DataType.Snapshot
            : payload.Contains("SimpleSnapshot", StringComparison.Ordinal) ? DataType.SimpleSnapshot : DataType.Simple;
        Assert.Equal(payload, TaskPayload.Serialize(fast, dataType));
    }

    [Theory]
    [InlineData("""{"v":1,"object":{"fields":{"PollID":5},"type":"polls.poll"}}""")]
    [InlineData("""{"v":1,"object":{"type":"polls.poll","fields":{"PollID":{"nested":1}}}}""")]
    [InlineData("""{"v":2,"object":{"type":"polls.poll","fields":{"PollID":5}}}""")]
    [InlineData("""{"v":1,"object":{"type":"polls.poll","fields":{"NotAField":5}}}""")]
    [InlineData("""{"v":1,"object":{"type":"polls.poll","refs":{"PollOwnerID":{"type":"users.user","id":"seven"}}}}""")]
    [InlineData("""{"v":1,"object":{"type":"polls.poll"}""")]
    public void TryRead_ShapeItDoesNotExpect_GivesWayToTheThoroughPath(string payload) =>
        Assert.Null(TaskPayloadReader.TryRead(payload, Registry, null));

    [Fact]
    public void Deserialize_FieldsBeforeType_StillReadByTheThoroughPath()
    {
        var read = TaskPayload.Deserialize("""{"v":1,"object":{"fields":{"PollID":5},"type":"polls.poll"}}""", Registry);

        Assert.Equal(5L, read.Object["PollID"]);
    }

    [Fact]
    public void TryRead_FieldTheTypeNoLongerHas_ReportedAndLeftOut()
    {
        var ignored = new List<(string Type, string Field)>();

        var read = TaskPayloadReader.TryRead("""{"v":1,"object":{"type":"polls.poll","fields":{"PollID":5,"Dropped":[1,2]}}}""", Registry, ignored);

        Assert.NotNull(read);
        Assert.Equal(["PollID"], read.Object.Fields.Keys);
        Assert.Equal([(TestModel.Poll, "Dropped")], ignored);
    }
}
