namespace IntegrationBus.Tests;

public class SmokeTests
{
    [Fact]
    public void Registry_Empty_HasNoTypes() => Assert.Empty(new IntegrationBus.Model.ObjectTypeRegistry([]).Types);
}
