namespace IntegrationBus.Demo.Tests;

/// <summary>The demo test classes run one demo process at a time: each starts two web servers and the scenario's requests have a 10 s timeout.</summary>
[CollectionDefinition(Name)]
public sealed class DemoProcesses
{
    public const string Name = "Demo processes";
}
