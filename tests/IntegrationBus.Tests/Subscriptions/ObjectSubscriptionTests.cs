
namespace IntegrationBus.Tests.Subscriptions;

public class ObjectSubscriptionTests
{
    [Theory]
    [InlineData(TaskType.CreatePage)]
    [InlineData(TaskType.MovePage)]
    public void Constructor_PageTaskType_ThrowsArgumentException(TaskType taskType)
    {
        var exception = Assert.Throws<ArgumentException>(() => new ObjectSubscription(SubscriptionMode.AsyncSimple, taskType));

        Assert.Equal("taskType", exception.ParamName);
        Assert.Contains(taskType.ToString(), exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_UnknownMode_ThrowsArgumentOutOfRangeException() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new ObjectSubscription((SubscriptionMode)0));
}
