using IntegrationBus.Webhooks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace IntegrationBus.Tests.Webhooks;

/// <summary>Webhook connectors are validated at start, with messages that name the connector and the configuration key.</summary>
public sealed class WebhookConnectorOptionsTests
{
    private const string Prefix = "IntegrationBus:Webhooks:crm:";

    [Fact]
    public void Validate_ValidEntry_BindsWebhookAndConnectorOptions()
    {
        using var services = Build(new() { ["MaxAttempts"] = "7", ["Subscriptions:1:Pages"] = "true", ["Subscriptions:1:AliasPath"] = "/Products/%", ["Subscriptions:1:DataType"] = "Simple" });

        var options = services.GetRequiredService<IOptionsMonitor<WebhookConnectorOptions>>().Get("crm");
        var connector = services.GetRequiredService<IOptionsMonitor<ConnectorOptions>>().Get("crm");

        Assert.Equal(new Uri("https://hooks.example.com/bus?key=1"), options.Url);
        Assert.Equal(TimeSpan.FromSeconds(30), options.Timeout);
        Assert.False(options.AllowPrivateNetwork);
        Assert.Equal([TaskType.CreateObject, TaskType.UpdateObject], options.Subscriptions[0].TaskTypes);
        Assert.Equal((true, "/Products/%", DataType.Simple), (options.Subscriptions[1].Pages, options.Subscriptions[1].AliasPath, options.Subscriptions[1].DataType));
        Assert.Equal(7, connector.MaxAttempts);
    }

    [Fact]
    public void Validate_OrderingKeys_BindConnectorOptionsAndPassWebhookValidation()
    {
        using var services = Build(new() { ["Ordering"] = "PerObject", ["MaxDegreeOfParallelism"] = "16" });

        var options = services.GetRequiredService<IOptionsMonitor<WebhookConnectorOptions>>().Get("crm");
        var connector = services.GetRequiredService<IOptionsMonitor<ConnectorOptions>>().Get("crm");

        Assert.NotNull(options.Url);
        Assert.Equal((Ordering.PerObject, 16, null), (connector.Ordering, connector.MaxDegreeOfParallelism, connector.OrderingKey));
    }

    [Theory]
    [InlineData("Url", "ftp://hooks.example.com/", "crm:Url): the scheme 'ftp' is not allowed")]
    [InlineData("Url", "hooks.example.com/bus", "crm:Url): 'hooks.example.com/bus' is not an absolute URL")]
    [InlineData("Url", "", "crm:Url): no URL is configured")]
    [InlineData("Secrets:0", "whsec_c2hvcnQ=", "crm:Secrets:0): the secret is not valid: The webhook secret's key has 5 bytes")]
    [InlineData("Secrets:0", "whsec_not base64!", "crm:Secrets:0): the secret is not valid")]
    [InlineData("Subscriptions:0:TaskTypes:0", "CreatePage", "crm:Subscriptions:0:TaskTypes:0): 'CreatePage' is not an object operation")]
    [InlineData("Subscriptions:0:TaskTypes:0", "Publish", "crm:Subscriptions:0:TaskTypes:0): 'Publish' is not a task type")]
    [InlineData("Subscriptions:0:TaskTypes:1", "99", "crm:Subscriptions:0:TaskTypes:1): '99' is not a task type")]
    [InlineData("Subscriptions:0:DataType", "Full", "crm:Subscriptions:0:DataType")]
    [InlineData("Subscriptions:0:ClassName", "content.article", "crm:Subscriptions:0:ClassName): ClassName, AliasPath and Culture filter pages")]
    [InlineData("Timeout", "00:00:00", "Timeout")]
    [InlineData("Headers:webhook-id", "x", "crm:Headers:webhook-id): the header 'webhook-id' is set by the connector")]
    public void Validate_BadValue_FailsNamingConnectorAndKey(string key, string value, string expected)
    {
        using var services = Build(new() { [key] = value });

        var exception = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptionsMonitor<WebhookConnectorOptions>>().Get("crm"));

        Assert.Contains("Webhook connector 'crm' (", exception.Message, StringComparison.Ordinal);
        Assert.Contains(expected, exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("c2hvcnQ", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_NoSecretNoSubscription_FailsForEach()
    {
        using var services = Build(new() { ["Secrets:0"] = null, ["Subscriptions:0:ObjectType"] = null, ["Subscriptions:0:TaskTypes:0"] = null, ["Subscriptions:0:TaskTypes:1"] = null });

        var exception = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptionsMonitor<WebhookConnectorOptions>>().Get("crm"));

        Assert.Contains("(IntegrationBus:Webhooks:crm:Secrets): no secret is configured", exception.Message, StringComparison.Ordinal);
        Assert.Contains("(IntegrationBus:Webhooks:crm:Subscriptions): no subscription is configured", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_BadConnectorName_Fails()
    {
        using var services = Build([], name: "my hook");

        var exception = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptionsMonitor<WebhookConnectorOptions>>().Get("my hook"));

        Assert.Contains("the key is the connector's code name", exception.Message, StringComparison.Ordinal);
    }

    private static ServiceProvider Build(Dictionary<string, string?> overrides, string name = "crm")
    {
        var prefix = $"IntegrationBus:Webhooks:{name}:";
        var settings = new Dictionary<string, string?>
        {
            [prefix + "Url"] = "https://hooks.example.com/bus?key=1",
            [prefix + "Secrets:0"] = WebhookSecret.Generate(),
            [prefix + "Subscriptions:0:ObjectType"] = "crm.contact",
            [prefix + "Subscriptions:0:TaskTypes:0"] = "CreateObject",
            [prefix + "Subscriptions:0:TaskTypes:1"] = "UpdateObject",
        };
        foreach (var (key, value) in overrides)
        {
            if (value is null)
            {
                settings.Remove(prefix + key);
            }
            else
            {
                settings[prefix + key] = value;
            }
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddIntegrationBus(bus => bus.AddWebhookConnectors(configuration.GetSection("IntegrationBus:Webhooks")));
        return services.BuildServiceProvider();
    }
}
