namespace IntegrationBus;

/// <summary>This bus instance's identity among the nodes that share a store: its lease owner ID and notification sender.</summary>
internal sealed class BusNode
{
    /// <summary>Gets the node's unique ID: machine, process and a random part, so two buses in one process differ too.</summary>
    public string Id { get; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";
}
