using static IntegrationBus.Tests.Subscriptions.SubscriptionIndexTests;

namespace IntegrationBus.Tests.Subscriptions;

public class SubscriptionBuilderTests
{
    [Fact]
    public void AllObjects_AnyObject_MatchesObjectsButNotPages()
    {
        var index = Index(new SubscriptionBuilder().AllObjects(SubscriptionMode.AsyncSimple).Subscriptions);

        Assert.True(IsMatch(index, Poll()));
        Assert.True(IsMatch(index, User(), TaskType.DeleteObject));
        Assert.False(IsMatch(index, Product("/Products"), TaskType.UpdatePage));
    }

    [Fact]
    public void AllObjects_TaskTypeAndSite_PassesFiltersOn()
    {
        var subscription = Assert.IsType<ObjectSubscription>(
            Assert.Single(new SubscriptionBuilder().AllObjects(SubscriptionMode.Sync, TaskType.CreateObject, "Shop").Subscriptions));

        Assert.Equal(SubscriptionMode.Sync, subscription.Mode);
        Assert.Equal(TaskType.CreateObject, subscription.TaskType);
        Assert.Equal("Shop", subscription.Site);
        Assert.Null(subscription.ObjectType);
    }

    [Fact]
    public void Objects_NoTaskTypes_MatchesEveryOperationOfThatType()
    {
        var index = Index(new SubscriptionBuilder().Objects(TestModel.Poll, SubscriptionMode.AsyncSimple).Subscriptions);

        Assert.True(IsMatch(index, Poll(), TaskType.CreateObject));
        Assert.True(IsMatch(index, Poll(), TaskType.RemoveFromSite));
        Assert.False(IsMatch(index, User()));
    }

    [Fact]
    public void Objects_SomeTaskTypes_MatchesOnlyThoseOperations()
    {
        var index = Index(new SubscriptionBuilder()
            .Objects(TestModel.Poll, SubscriptionMode.AsyncSimple, TaskType.UpdateObject, TaskType.DeleteObject).Subscriptions);

        Assert.True(IsMatch(index, Poll(), TaskType.UpdateObject));
        Assert.True(IsMatch(index, Poll(), TaskType.DeleteObject));
        Assert.False(IsMatch(index, Poll(), TaskType.CreateObject));
    }

    [Fact]
    public void Objects_PageTaskType_ThrowsArgumentException() =>
        Assert.Throws<ArgumentException>(() => new SubscriptionBuilder().Objects(TestModel.Poll, SubscriptionMode.AsyncSimple, TaskType.CreatePage));

    [Fact]
    public void AllPages_AnyPage_MatchesPagesButNotObjects()
    {
        var index = Index(new SubscriptionBuilder().AllPages(SubscriptionMode.AsyncSimple).Subscriptions);

        Assert.True(IsMatch(index, Product("/Products"), TaskType.CreatePage));
        Assert.True(IsMatch(index, Article("/Blog/Hello"), TaskType.MovePage));
        Assert.False(IsMatch(index, Poll()));
    }

    [Fact]
    public void AllPages_ObjectTaskType_ThrowsArgumentException() =>
        Assert.Throws<ArgumentException>(() => new SubscriptionBuilder().AllPages(SubscriptionMode.AsyncSimple, TaskType.UpdateObject));

    [Fact]
    public void PagesOfClasses_TwoClasses_MatchesPagesOfEither()
    {
        var index = Index(new SubscriptionBuilder().PagesOfClasses(SubscriptionMode.AsyncSimple, "shop.product", "blog.%").Subscriptions);

        Assert.True(IsMatch(index, Product("/Products"), TaskType.UpdatePage));
        Assert.True(IsMatch(index, Article("/Blog/Hello"), TaskType.UpdatePage));
    }

    [Fact]
    public void PagesOfClasses_OtherClass_DoesNotMatch()
    {
        var index = Index(new SubscriptionBuilder().PagesOfClasses(SubscriptionMode.AsyncSimple, "shop.product").Subscriptions);

        Assert.False(IsMatch(index, Article("/Blog/Hello"), TaskType.UpdatePage));
    }

    [Theory]
    [InlineData("/Products", "/Products", true)]
    [InlineData("/Products", "/products/Phones", true)]
    [InlineData("/Products", "/Products/Phones/Android", true)]
    [InlineData("/Products/", "/Products", true)]
    [InlineData("/Products/", "/Products/Phones", true)]
    [InlineData("/Products", "/ProductsX", false)]
    [InlineData("/Products", "/ProductsX/Phones", false)]
    [InlineData("/Products", "/", false)]
    [InlineData("/Products", "/Shop/Products", false)]
    [InlineData("/", "/", true)]
    [InlineData("/", "/Anything/Below", true)]
    public void PagesUnder_Path_MatchesThePageAndItsDescendantsOnly(string section, string aliasPath, bool expected)
    {
        var index = Index(new SubscriptionBuilder().PagesUnder(section, SubscriptionMode.AsyncSimple).Subscriptions);

        Assert.Equal(expected, IsMatch(index, Product(aliasPath), TaskType.UpdatePage));
    }

    [Fact]
    public void PagesInCulture_Culture_MatchesPagesInThatCultureOnly()
    {
        var index = Index(new SubscriptionBuilder().PagesInCulture("en-US", SubscriptionMode.AsyncSimple).Subscriptions);

        Assert.True(IsMatch(index, Product("/Products", culture: "en-us"), TaskType.UpdatePage));
        Assert.False(IsMatch(index, Product("/Products", culture: "de-DE"), TaskType.UpdatePage));
        Assert.False(IsMatch(index, Product("/Products", culture: "en-GB"), TaskType.UpdatePage));
    }
}
