
namespace IntegrationBus.Storage;

/// <summary>Names one queue: the tasks of one connector in one direction.</summary>
/// <param name="Connector">The connector's code name.</param>
/// <param name="Direction">The direction.</param>
public readonly record struct QueueKey(string Connector, TaskDirection Direction)
{
    /// <inheritdoc />
    public override string ToString() => $"{Connector} ({Direction})";
}
