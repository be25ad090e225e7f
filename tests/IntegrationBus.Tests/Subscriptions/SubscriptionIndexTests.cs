
namespace IntegrationBus.Tests.Subscriptions;

public class SubscriptionIndexTests
{
    private const SubscriptionMode None = 0;
    private static readonly ObjectTypeRegistry Registry = TestModel.Registry();

    [Fact]
    public void Match_ExactObjectType_MatchesThatTypeInAnyCaseOnly()
    {
        var index = Index([new ObjectSubscription(SubscriptionMode.AsyncSimple, objectType: "Polls.Poll")]);

        Assert.Equal(SubscriptionMode.AsyncSimple, Match(index, Poll())[0]);
        Assert.Equal(None, Match(index, Answer())[0]);
        Assert.Equal(None, Match(index, User())[0]);
    }

    [Theory]
    [InlineData("polls.%", true, true, false)]
    [InlineData("%.poll", true, false, false)]
    [InlineData("%", true, true, true)]
    [InlineData("%s.%", true, true, true)]
    [InlineData("polls_poll", false, false, false)]
    public void Match_ObjectTypeGlob_MatchesTypesByGlob(string objectType, bool poll, bool answer, bool user)
    {
        var index = Index([new ObjectSubscription(SubscriptionMode.AsyncSimple, objectType: objectType)]);

        Assert.Equal(poll, IsMatch(index, Poll()));
        Assert.Equal(answer, IsMatch(index, Answer()));
        Assert.Equal(user, IsMatch(index, User()));
    }

    [Theory]
    [InlineData("favourite-colour", true)]
    [InlineData("FAVOURITE-%", true)]
    [InlineData("%-size", false)]
    [InlineData("favourite_colour", false)]
    public void Match_CodeNameFilter_MatchesByCodeName(string codeName, bool expected)
    {
        var index = Index([new ObjectSubscription(SubscriptionMode.AsyncSimple, objectType: TestModel.Poll, codeName: codeName)]);

        Assert.Equal(expected, IsMatch(index, Poll()));
    }

    [Fact]
    public void Match_CodeNameFilterAndObjectWithoutCodeName_DoesNotMatch()
    {
        var index = Index([new ObjectSubscription(SubscriptionMode.AsyncSimple, codeName: "favourite-colour")]);

        Assert.False(IsMatch(index, Answer()));
    }

    [Theory]
    [InlineData(TaskType.CreateObject)]
    [InlineData(TaskType.UpdateObject)]
    [InlineData(TaskType.DeleteObject)]
    [InlineData(TaskType.AddToSite)]
    [InlineData(TaskType.RemoveFromSite)]
    public void Match_TaskTypeAll_MatchesEveryObjectOperation(TaskType taskType)
    {
        var index = Index([new ObjectSubscription(SubscriptionMode.AsyncSimple, TaskType.All, objectType: TestModel.Poll)]);

        Assert.True(IsMatch(index, Poll(), taskType));
    }

    [Fact]
    public void Match_SpecificTaskType_MatchesThatOperationOnly()
    {
        var index = Index([new ObjectSubscription(SubscriptionMode.AsyncSimple, TaskType.DeleteObject, objectType: TestModel.Poll)]);

        Assert.True(IsMatch(index, Poll(), TaskType.DeleteObject));
        Assert.False(IsMatch(index, Poll(), TaskType.CreateObject));
        Assert.False(IsMatch(index, Poll(), TaskType.UpdateObject));
    }

    [Theory]
    [InlineData(null, true, true, true)]
    [InlineData("", true, true, true)]
    [InlineData("Shop", true, false, false)]
    [InlineData("shop", true, false, false)]
    [InlineData("Sh%", true, false, false)]
    [InlineData("Blog", false, false, false)]
    [InlineData("GLOBAL", false, true, true)]
    [InlineData("Global", false, true, true)]
    public void Match_SiteFilter_MatchesBySite(string? site, bool shopPoll, bool globalPoll, bool user)
    {
        var index = Index([new ObjectSubscription(SubscriptionMode.AsyncSimple, site: site)]);

        Assert.Equal(shopPoll, IsMatch(index, Poll(site: "Shop")));
        Assert.Equal(globalPoll, IsMatch(index, Poll(site: null)));
        Assert.Equal(user, IsMatch(index, User()));
    }

    [Fact]
    public void Match_SiteNamedLikeGlobalGlob_IsNotTreatedAsGlobal()
    {
        var index = Index([new ObjectSubscription(SubscriptionMode.AsyncSimple, site: "GLOB%")]);

        Assert.True(IsMatch(index, Poll(site: "GLOBALSHOP")));
        Assert.False(IsMatch(index, Poll(site: null)));
    }

    [Theory]
    [InlineData("shop.product", true)]
    [InlineData("SHOP.%", true)]
    [InlineData("blog.article", false)]
    [InlineData("shop_product", false)]
    public void Match_PageClassNameFilter_MatchesByClass(string className, bool expected)
    {
        var index = Index([new PageSubscription(SubscriptionMode.AsyncSimple, className: className)]);

        Assert.Equal(expected, IsMatch(index, Product("/Products/Phones"), TaskType.UpdatePage));
    }

    [Theory]
    [InlineData("/Products/Phones", true)]
    [InlineData("/products/%", true)]
    [InlineData("%/Phones", true)]
    [InlineData("/Products", false)]
    [InlineData("/Products/Phone_", false)]
    public void Match_PageAliasPathFilter_MatchesByPath(string aliasPath, bool expected)
    {
        var index = Index([new PageSubscription(SubscriptionMode.AsyncSimple, aliasPath: aliasPath)]);

        Assert.Equal(expected, IsMatch(index, Product("/Products/Phones"), TaskType.UpdatePage));
    }

    [Theory]
    [InlineData("en-US", true)]
    [InlineData("EN-us", true)]
    [InlineData("en-%", true)]
    [InlineData("de-DE", false)]
    public void Match_PageCultureFilter_MatchesByCulture(string culture, bool expected)
    {
        var index = Index([new PageSubscription(SubscriptionMode.AsyncSimple, culture: culture)]);

        Assert.Equal(expected, IsMatch(index, Product("/Products", culture: "en-US"), TaskType.UpdatePage));
    }

    [Fact]
    public void Match_PageSubscriptionWithSpecificTaskTypeAndSite_MatchesOnlyBoth()
    {
        var index = Index([new PageSubscription(SubscriptionMode.AsyncSimple, TaskType.PublishPage, site: "Shop")]);

        Assert.True(IsMatch(index, Product("/P", site: "Shop"), TaskType.PublishPage));
        Assert.False(IsMatch(index, Product("/P", site: "Shop"), TaskType.UpdatePage));
        Assert.False(IsMatch(index, Product("/P", site: "Blog"), TaskType.PublishPage));
    }

    [Fact]
    public void Match_ObjectSubscriptions_DoNotMatchPages()
    {
        var index = Index(
        [
            new ObjectSubscription(SubscriptionMode.Sync),
            new ObjectSubscription(SubscriptionMode.Sync, objectType: TestModel.Product),
        ]);

        Assert.False(IsMatch(index, Product("/Products"), TaskType.UpdatePage));
        Assert.True(IsMatch(index, Poll()));
    }

    [Fact]
    public void Match_PageSubscriptions_DoNotMatchObjects()
    {
        var index = Index(
        [
            new PageSubscription(SubscriptionMode.Sync),
            new PageSubscription(SubscriptionMode.Sync, className: TestModel.Poll),
        ]);

        Assert.False(IsMatch(index, Poll()));
        Assert.True(IsMatch(index, Product("/Products"), TaskType.UpdatePage));
    }

    [Theory]
    [InlineData(new[] { SubscriptionMode.AsyncSimple, SubscriptionMode.AsyncSimpleSnapshot }, SubscriptionMode.AsyncSimpleSnapshot)]
    [InlineData(new[] { SubscriptionMode.AsyncSimpleSnapshot, SubscriptionMode.AsyncSimple }, SubscriptionMode.AsyncSimpleSnapshot)]
    [InlineData(new[] { SubscriptionMode.AsyncSnapshot, SubscriptionMode.AsyncSimpleSnapshot, SubscriptionMode.AsyncSimple }, SubscriptionMode.AsyncSnapshot)]
    [InlineData(new[] { SubscriptionMode.AsyncSimple, SubscriptionMode.Sync, SubscriptionMode.AsyncSnapshot }, SubscriptionMode.Sync)]
    [InlineData(new[] { SubscriptionMode.Sync, SubscriptionMode.AsyncSimple }, SubscriptionMode.Sync)]
    public void Match_SeveralSubscriptionsOfOneConnector_StrongestModeWins(SubscriptionMode[] modes, SubscriptionMode expected)
    {
        // Alternate exact-type and glob subscriptions so that both lookup paths take part.
        var subscriptions = modes
            .Select((mode, i) => new ObjectSubscription(mode, objectType: i % 2 == 0 ? TestModel.Poll : "polls.%"))
            .ToArray();
        var index = Index(subscriptions);

        Assert.Equal(expected, Match(index, Poll())[0]);
    }

    [Fact]
    public void Match_StrongerSubscriptionNotMatching_DoesNotRaiseMode()
    {
        var index = Index(
        [
            new ObjectSubscription(SubscriptionMode.AsyncSimple, objectType: TestModel.Poll),
            new ObjectSubscription(SubscriptionMode.Sync, TaskType.DeleteObject, objectType: TestModel.Poll),
        ]);

        Assert.Equal(SubscriptionMode.AsyncSimple, Match(index, Poll(), TaskType.UpdateObject)[0]);
        Assert.Equal(SubscriptionMode.Sync, Match(index, Poll(), TaskType.DeleteObject)[0]);
    }

    [Fact]
    public void Match_SeveralConnectors_EachGetsItsOwnStrongestMode()
    {
        var index = new SubscriptionIndex(
        [
            [new ObjectSubscription(SubscriptionMode.Sync, objectType: TestModel.Poll)],
            [new ObjectSubscription(SubscriptionMode.AsyncSimple), new ObjectSubscription(SubscriptionMode.AsyncSnapshot, objectType: "polls.%")],
            [new ObjectSubscription(SubscriptionMode.Sync, objectType: TestModel.User)],
            [new ObjectSubscription(SubscriptionMode.AsyncSimpleSnapshot, objectType: TestModel.Poll)],
        ]);
        var modes = new SubscriptionMode[4];

        Assert.True(index.Match(Poll(), TaskType.UpdateObject, modes));

        Assert.Equal(new[] { SubscriptionMode.Sync, SubscriptionMode.AsyncSnapshot, None, SubscriptionMode.AsyncSimpleSnapshot }, modes);
    }

    [Fact]
    public void Match_NoSubscriptionMatches_ReturnsFalseAndClearsModes()
    {
        var index = new SubscriptionIndex([[new ObjectSubscription(SubscriptionMode.Sync, objectType: TestModel.User)], []]);
        SubscriptionMode[] modes = [SubscriptionMode.Sync, SubscriptionMode.Sync];

        Assert.False(index.Match(Poll(), TaskType.UpdateObject, modes));

        Assert.Equal(new[] { None, None }, modes);
    }

    [Fact]
    public void Match_ManyUnrelatedExactTypeSubscriptions_StillFindsTheMatchingOnes()
    {
        var unrelated = Enumerable.Range(0, 10_000)
            .Select(i => (Subscription)new ObjectSubscription(SubscriptionMode.Sync, objectType: $"other.type{i}"))
            .ToList();
        var index = new SubscriptionIndex(
        [
            unrelated,
            [new ObjectSubscription(SubscriptionMode.AsyncSimple, objectType: TestModel.Poll)],
            [.. unrelated, new ObjectSubscription(SubscriptionMode.AsyncSnapshot, objectType: "%.answer")],
        ]);
        var modes = new SubscriptionMode[3];

        Assert.True(index.Match(Poll(), TaskType.UpdateObject, modes));
        Assert.Equal(new[] { None, SubscriptionMode.AsyncSimple, None }, modes);

        Assert.True(index.Match(Answer(), TaskType.UpdateObject, modes));
        Assert.Equal(new[] { None, None, SubscriptionMode.AsyncSnapshot }, modes);
    }

    [Fact]
    public void Match_FewerSlotsThanConnectors_ThrowsArgumentException()
    {
        var index = new SubscriptionIndex([[], []]);

        Assert.Throws<ArgumentException>(() => index.Match(Poll(), TaskType.UpdateObject, new SubscriptionMode[1]));
    }

    [Fact]
    public void IsEmpty_NoSubscriptions_ReturnsTrue()
    {
        Assert.True(new SubscriptionIndex([[], []]).IsEmpty);
        Assert.False(Index([new PageSubscription(SubscriptionMode.AsyncSimple)]).IsEmpty);
    }

    internal static SubscriptionIndex Index(IReadOnlyList<Subscription> subscriptions) => new([subscriptions]);

    internal static SubscriptionMode[] Match(SubscriptionIndex index, BusObject change, TaskType taskType = TaskType.UpdateObject)
    {
        var modes = new SubscriptionMode[1];
        index.Match(change, taskType, modes);
        return modes;
    }

    internal static bool IsMatch(SubscriptionIndex index, BusObject change, TaskType taskType = TaskType.UpdateObject) =>
        Match(index, change, taskType)[0] != None;

    internal static BusObject Poll(string? site = "Shop") =>
        TestModel.NewObject(Registry, TestModel.Poll, ("PollID", 1), ("PollCodeName", "favourite-colour"), ("PollSite", site));

    internal static BusObject Answer() =>
        TestModel.NewObject(Registry, TestModel.Answer, ("AnswerID", 2), ("AnswerPollID", 1));

    internal static BusObject User() =>
        TestModel.NewObject(Registry, TestModel.User, ("UserID", 3), ("UserName", "admin"));

    internal static BusObject Product(string aliasPath, string culture = "en-US", string? site = "Shop") =>
        TestModel.NewObject(Registry, TestModel.Product,
            ("DocumentID", 4), ("NodeAliasPath", aliasPath), ("DocumentCulture", culture), ("NodeSite", site), ("NodeGUID", Guid.NewGuid()));

    internal static BusObject Article(string aliasPath) =>
        TestModel.NewObject(Registry, TestModel.Article, ("ArticleID", 5), ("ArticlePath", aliasPath), ("ArticleCulture", "de-DE"));
}
