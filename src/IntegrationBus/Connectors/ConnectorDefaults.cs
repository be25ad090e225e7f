namespace IntegrationBus;

/// <summary>The defaults of <see cref="ConnectorOptions"/>.</summary>
internal static class ConnectorDefaults
{
    public const Ordering Ordering = IntegrationBus.Ordering.Connector;
    public const int MaxDegreeOfParallelism = 8;
    public const int Partitions = 1;
}
