
namespace IntegrationBus.Tests.Model;

public class BusObjectTests
{
    private enum Color
    {
        Red = 1,
        Blue = 7,
    }

    private static readonly ObjectTypeRegistry Registry = TestModel.Registry();

    [Fact]
    public void IdentityProperties_FieldsSet_ReturnTypedValues()
    {
        var guid = Guid.NewGuid();
        var poll = TestModel.NewObject(Registry, TestModel.Poll,
            ("PollID", 42), ("PollGUID", guid), ("PollCodeName", "favourite-colour"), ("PollTitle", "Favourite colour"), ("PollSite", "Shop"));

        Assert.Equal(42L, poll.Id);
        Assert.Equal(guid, poll.Guid);
        Assert.Equal("favourite-colour", poll.CodeName);
        Assert.Equal("Favourite colour", poll.DisplayName);
        Assert.Equal("Shop", poll.Site);
        Assert.Null(poll.ParentId);
        Assert.Null(poll.NodeGuid);
        Assert.Null(poll.AliasPath);
        Assert.Null(poll.Culture);
    }

    [Fact]
    public void ParentId_ChildObject_ReturnsParentField()
    {
        var answer = TestModel.NewObject(Registry, TestModel.Answer, ("AnswerID", 3), ("AnswerPollID", 42));

        Assert.Equal(42L, answer.ParentId);
    }

    [Fact]
    public void Site_TypeWithoutSiteField_ReturnsNull()
    {
        var user = TestModel.NewObject(Registry, TestModel.User, ("UserID", 1));

        Assert.Null(user.Site);
        Assert.Null(user.Guid);
    }

    [Fact]
    public void PageProperties_CustomPageFields_ReturnTreeData()
    {
        var node = Guid.NewGuid();
        var article = TestModel.NewObject(Registry, TestModel.Article,
            ("ArticleID", 5), ("ArticleNode", node.ToString()), ("ArticlePath", "/Blog/Hello"), ("ArticleCulture", "en-US"));

        Assert.Equal(node, article.NodeGuid);
        Assert.Equal("/Blog/Hello", article.AliasPath);
        Assert.Equal("en-US", article.Culture);
    }

    [Fact]
    public void Id_NoValue_ThrowsNamingTypeAndField()
    {
        var poll = new BusObject(Registry.Get(TestModel.Poll));

        var exception = Assert.Throws<IntegrationBusException>(() => poll.Id);

        Assert.Contains("'polls.poll'", exception.Message, StringComparison.Ordinal);
        Assert.Contains("'PollID'", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Indexer_IntegerTypes_StoresLong()
    {
        var poll = new BusObject(Registry.Get(TestModel.Poll))
        {
            ["PollID"] = 7,
            ["PollVotes"] = (short)3,
            ["PollScore"] = 200u,
        };

        Assert.IsType<long>(poll["PollID"]);
        Assert.Equal(7L, poll["PollID"]);
        Assert.Equal(3L, poll["PollVotes"]);
        Assert.Equal(200L, poll["PollScore"]);
    }

    [Fact]
    public void Indexer_Enum_StoresUnderlyingValueAsLong()
    {
        var poll = new BusObject(Registry.Get(TestModel.Poll)) { ["PollVotes"] = Color.Blue };

        Assert.Equal(7L, poll["PollVotes"]);
    }

    [Fact]
    public void Indexer_List_StoresNormalisedArray()
    {
        var poll = new BusObject(Registry.Get(TestModel.Poll)) { ["PollTags"] = new List<object?> { 1, "two", null, Color.Red } };

        var tags = Assert.IsType<object?[]>(poll["PollTags"]);
        Assert.Equal([1L, "two", null, 1L], tags);
    }

    [Fact]
    public void Indexer_UnknownField_ThrowsArgumentExceptionNamingField()
    {
        var poll = new BusObject(Registry.Get(TestModel.Poll));

        var exception = Assert.Throws<ArgumentException>(() => poll["PollColour"] = "red");

        Assert.Contains("'PollColour'", exception.Message, StringComparison.Ordinal);
        Assert.Contains("'polls.poll'", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Indexer_FieldNameInOtherCase_ThrowsArgumentException()
    {
        var poll = new BusObject(Registry.Get(TestModel.Poll));

        Assert.Throws<ArgumentException>(() => poll["pollquestion"] = "Why?");
    }

    [Fact]
    public void Indexer_UnsupportedValueType_ThrowsArgumentExceptionNamingField()
    {
        var poll = new BusObject(Registry.Get(TestModel.Poll));

        var exception = Assert.Throws<ArgumentException>(() => poll["PollNote"] = new Uri("https://example.invalid/"));

        Assert.Contains("'PollNote'", exception.Message, StringComparison.Ordinal);
        Assert.Contains("Uri", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Indexer_ListWithUnsupportedItem_ThrowsArgumentException()
    {
        var poll = new BusObject(Registry.Get(TestModel.Poll));

        Assert.Throws<ArgumentException>(() => poll["PollTags"] = new object[] { "ok", new object() });
    }

    [Fact]
    public void Clone_CopyChanged_OriginalUnchanged()
    {
        var poll = TestModel.NewObject(Registry, TestModel.Poll, ("PollID", 1), ("PollQuestion", "Why?"));

        var copy = poll.Clone();
        copy["PollQuestion"] = "Why not?";
        copy["PollNote"] = "added";

        Assert.Equal("Why?", poll["PollQuestion"]);
        Assert.False(poll.Fields.ContainsKey("PollNote"));
        Assert.Same(poll.Type, copy.Type);
        Assert.False(poll.HasSameValues(copy));
    }

    [Fact]
    public void Clone_ListItemOfCopyChanged_OriginalListUnchanged()
    {
        var poll = TestModel.NewObject(Registry, TestModel.Poll, ("PollID", 1), ("PollTags", new[] { "a", "b" }));

        var copy = poll.Clone();
        ((object?[])copy["PollTags"]!)[0] = "changed";

        Assert.Equal(["a", "b"], Assert.IsType<object?[]>(poll["PollTags"]));
    }

    [Fact]
    public void HasSameValues_EqualFieldsAndLists_ReturnsTrue()
    {
        var left = TestModel.NewObject(Registry, TestModel.Poll, ("PollID", 1), ("PollTags", new[] { 1, 2 }), ("PollNote", null));
        var right = TestModel.NewObject(Registry, TestModel.Poll, ("PollID", 1L), ("PollTags", new List<long> { 1, 2 }));

        Assert.True(left.HasSameValues(right));
        Assert.True(right.HasSameValues(left));
    }

    [Fact]
    public void HasSameValues_OneFieldDiffers_ReturnsFalse()
    {
        var left = TestModel.NewObject(Registry, TestModel.Poll, ("PollID", 1), ("PollTags", new[] { 1, 2 }));
        var right = TestModel.NewObject(Registry, TestModel.Poll, ("PollID", 1), ("PollTags", new[] { 1, 3 }));
        var empty = TestModel.NewObject(Registry, TestModel.Poll, ("PollID", 1), ("PollTags", null));

        Assert.False(left.HasSameValues(right));
        Assert.False(left.HasSameValues(empty));
    }

    [Fact]
    public void HasSameValues_OtherType_ReturnsFalse()
    {
        var user = TestModel.NewObject(Registry, TestModel.User, ("UserID", 1));
        var role = TestModel.NewObject(Registry, TestModel.Role, ("RoleID", 1));

        Assert.False(user.HasSameValues(role));
    }

    [Fact]
    public void HasSameValues_GuidAfterJsonRoundTrip_ReturnsTrue()
    {
        var poll = TestModel.NewObject(Registry, TestModel.Poll, ("PollID", 1), ("PollGUID", Guid.NewGuid()), ("PollScore", 2.5m));

        var read = TaskPayload.Deserialize(TaskPayload.Serialize(new ObjectSnapshot(poll), DataType.Simple), Registry).Object;

        Assert.IsType<string>(read["PollGUID"]);
        Assert.True(poll.HasSameValues(read));
        Assert.True(read.HasSameValues(poll));
    }

    [Fact]
    public void HasSameValues_DatesAfterJsonRoundTrip_ReturnsTrue()
    {
        var poll = TestModel.NewObject(Registry, TestModel.Poll,
            ("PollID", 1),
            ("PollOpenFrom", new DateTime(2025, 3, 4, 5, 6, 7, DateTimeKind.Utc)),
            ("PollNote", new DateTimeOffset(2025, 3, 4, 5, 6, 7, TimeSpan.FromHours(2))));

        var read = TaskPayload.Deserialize(TaskPayload.Serialize(new ObjectSnapshot(poll), DataType.Simple), Registry).Object;

        Assert.True(poll.HasSameValues(read));
    }
}
