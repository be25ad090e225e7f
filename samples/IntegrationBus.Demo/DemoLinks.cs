namespace IntegrationBus.Demo;

/// <summary>Where the two applications listen, known once each has started (ports may be chosen by the OS).</summary>
public sealed class DemoLinks
{
    public const string ApiKey = "demo-key";

    public Uri? ContentUrl { get; set; }

    public Uri? CrmUrl { get; set; }
}
