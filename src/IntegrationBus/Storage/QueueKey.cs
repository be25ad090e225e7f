using System.Globalization;
using System.Text.Json.Serialization;

namespace IntegrationBus.Storage;

/// <summary>Names one queue: the tasks of one connector in one direction; or one partition of it.</summary>
/// <remarks>
/// A connector whose outgoing queue is split (<see cref="ConnectorOptions.Partitions"/> above 1, on a store whose
/// <see cref="QueueStore.SupportsPartitions"/>) runs it as <see cref="Partitions"/> queues, each leased on its own: the
/// partition of a task is a hash of its ordering key, so every task of one key is in one partition and keeps its order,
/// while the partitions run on different nodes. A key without partitions (the default) names the whole queue.
/// </remarks>
/// <param name="Connector">The connector's code name.</param>
/// <param name="Direction">The direction.</param>
public readonly record struct QueueKey(string Connector, TaskDirection Direction)
{
    // Stored as count - 1, so that a key built without partitions equals one built with Partitions = 1.
    private readonly int _morePartitions;

    /// <summary>Gets the partition this key names, from 0 to <see cref="Partitions"/> - 1.</summary>
    /// <value>0: the first partition, or the whole queue when it is not split.</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    /// <remarks>Not serialized: operators see whole queues (the management API's queue keys are connector and direction).</remarks>
    [JsonIgnore]
    public int Partition
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            field = value;
        }
    }

    /// <summary>Gets how many partitions the queue is split into.</summary>
    /// <value>1: the whole queue.</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    /// <remarks>Not serialized, like <see cref="Partition"/>.</remarks>
    [JsonIgnore]
    public int Partitions
    {
        get => _morePartitions + 1;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            _morePartitions = value - 1;
        }
    }

    /// <summary>Gets a value indicating whether this key names one partition of a split queue.</summary>
    [JsonIgnore]
    public bool IsPartition => Partitions > 1;

    /// <summary>Gets the key of the whole queue this key is a partition of (itself when it is not split).</summary>
    [JsonIgnore]
    public QueueKey WholeQueue => new(Connector, Direction);

    /// <inheritdoc />
    public override string ToString() => IsPartition
        ? string.Create(CultureInfo.InvariantCulture, $"{Connector} ({Direction}, partition {Partition} of {Partitions})")
        : $"{Connector} ({Direction})";
}
