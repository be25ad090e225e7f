using IntegrationBus.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace IntegrationBus.Tests.Hosting;

public sealed class IntegrationBusServiceCollectionExtensionsTests
{
    [Fact]
    public void AddIntegrationBus_InvalidBatchSize_ValidationNamesOptionAndRange()
    {
        var services = new ServiceCollection();
        services.AddIntegrationBus(bus => bus.UseSqlite("Data Source=unused.db").Configure(o => o.BatchSize = 0));
        using var provider = services.BuildServiceProvider();

        var exception = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<IntegrationBusOptions>>().Value);
        Assert.Contains("BatchSize", exception.Message, StringComparison.Ordinal);
        Assert.Contains("10000", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddIntegrationBus_MaxRetryDelayShorterThanRetryDelay_ValidationFails()
    {
        var services = new ServiceCollection();
        services.AddIntegrationBus(bus => bus.UseSqlite("Data Source=unused.db").Configure(o =>
        {
            o.RetryDelay = TimeSpan.FromMinutes(2);
            o.MaxRetryDelay = TimeSpan.FromMinutes(1);
        }));
        using var provider = services.BuildServiceProvider();

        var exception = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<IntegrationBusOptions>>().Value);
        Assert.Contains("MaxRetryDelay", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddIntegrationBus_CalledTwice_RegistersEachServiceOnce()
    {
        var services = new ServiceCollection();
        services.AddIntegrationBus(bus => bus.UseSqlite("Data Source=unused.db").AddConnector<NamedConnector>());
        services.AddIntegrationBus(bus => bus.AddConnector<NamedConnector>());
        using var provider = services.BuildServiceProvider();

        Assert.Single(provider.GetRequiredService<IntegrationBusService>().Connectors);
        Assert.Single(provider.GetServices<Microsoft.Extensions.Hosting.IHostedService>());
    }

    [Fact]
    public void UseInternalDataHandler_ResolvedByItsTypeAndByTheInterface_IsOneInstance()
    {
        var services = new ServiceCollection();
        services.AddIntegrationBus(bus => bus.UseSqlite("Data Source=unused.db").UseInternalDataHandler<Support.InMemoryDataHandler>());
        using var provider = services.BuildServiceProvider();

        Assert.Same(provider.GetRequiredService<Support.InMemoryDataHandler>(), provider.GetRequiredService<IInternalDataHandler>());
    }

    [Fact]
    public void AddIntegrationBus_NoStore_ClearErrorNamingTheFix()
    {
        var services = new ServiceCollection();
        services.AddIntegrationBus();
        using var provider = services.BuildServiceProvider();

        var exception = Assert.Throws<IntegrationBusException>(() => provider.GetRequiredService<IntegrationBusService>());
        Assert.Contains("UseSqlite", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddIntegrationBus_ForeignKeyToUnknownType_FailsWithTypeAndField()
    {
        var services = new ServiceCollection();
        services.AddIntegrationBus(bus => bus
            .UseSqlite("Data Source=unused.db")
            .AddObjectType("shop.order", t => t.Id("OrderID").ForeignKey("CustomerID", "shop.customer")));
        using var provider = services.BuildServiceProvider();

        var exception = Assert.Throws<IntegrationBusException>(() => provider.GetRequiredService<ObjectTypeRegistry>());
        Assert.Contains("'shop.order'", exception.Message, StringComparison.Ordinal);
        Assert.Contains("'CustomerID'", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddIntegrationBus_TwoConnectorsWithOneName_FailsNamingIt()
    {
        var services = new ServiceCollection();
        services.AddIntegrationBus(bus => bus.UseSqlite("Data Source=unused.db").AddConnector<NamedConnector>().AddConnector<SameNameConnector>());
        using var provider = services.BuildServiceProvider();

        var exception = Assert.Throws<IntegrationBusException>(() => provider.GetRequiredService<IntegrationBusService>());
        Assert.Contains("'crm'", exception.Message, StringComparison.Ordinal);
    }

    private sealed class NamedConnector() : Connector("crm")
    {
        protected override void Subscribe(SubscriptionBuilder subscriptions) => subscriptions.AllObjects(SubscriptionMode.AsyncSimple);
    }

    private sealed class SameNameConnector() : Connector("crm")
    {
        protected override void Subscribe(SubscriptionBuilder subscriptions) => subscriptions.AllObjects(SubscriptionMode.AsyncSimple);
    }
}
