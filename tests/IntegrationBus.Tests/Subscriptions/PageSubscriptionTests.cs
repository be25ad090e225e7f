
namespace IntegrationBus.Tests.Subscriptions;

public class PageSubscriptionTests
{
    [Theory]
    [InlineData(TaskType.CreateObject)]
    [InlineData(TaskType.RemoveFromSite)]
    public void Constructor_ObjectTaskType_ThrowsArgumentException(TaskType taskType)
    {
        var exception = Assert.Throws<ArgumentException>(() => new PageSubscription(SubscriptionMode.AsyncSimple, taskType));

        Assert.Equal("taskType", exception.ParamName);
        Assert.Contains(taskType.ToString(), exception.Message, StringComparison.Ordinal);
    }
}
