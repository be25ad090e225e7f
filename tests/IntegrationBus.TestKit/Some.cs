using IntegrationBus.Model;
using IntegrationBus.Storage;

namespace IntegrationBus.TestKit;

/// <summary>Builds unique test data.</summary>
public static class Some
{
    /// <summary>The time tests start at unless they say otherwise (whole milliseconds, UTC).</summary>
    public static readonly DateTimeOffset Epoch = new(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);

    /// <summary>A unique connector code name.</summary>
    public static string Connector() => Name("connector");

    /// <summary>A unique owner ID for leases.</summary>
    public static string Owner() => Name("owner");

    /// <summary>A unique object type name.</summary>
    public static string ObjectType() => Name("test.object");

    /// <summary>A unique string with a prefix.</summary>
    public static string Name(string prefix) => $"{prefix}-{Guid.NewGuid():N}";

    /// <summary>A versioned JSON payload with a unique value.</summary>
    public static string Payload() => "{\"v\":1,\"fields\":{\"name\":\"" + Guid.NewGuid().ToString("N") + "\"}}";

    /// <summary>An outgoing object update for the connectors, logged at <see cref="Epoch"/>.</summary>
    public static NewIntegrationTask Task(params string[] connectors) => Task(Epoch, connectors);

    /// <summary>An outgoing object update for the connectors, logged at <paramref name="createdAt"/>.</summary>
    public static NewIntegrationTask Task(DateTimeOffset createdAt, params string[] connectors) => new(
        Guid.NewGuid(),
        TaskDirection.Outgoing,
        TaskType.UpdateObject,
        DataType.Simple,
        "test.contact",
        Random.Shared.NextInt64(1, long.MaxValue),
        "main",
        Payload(),
        createdAt,
        connectors);

    /// <summary>An incoming task from <paramref name="origin"/> for the connectors.</summary>
    public static NewIntegrationTask IncomingTask(string origin, IncomingPolicy policy, params string[] connectors) => Task(connectors) with
    {
        Direction = TaskDirection.Incoming,
        TaskType = TaskType.CreateObject,
        DataType = DataType.SimpleSnapshot,
        ObjectId = null,
        Site = null,
        OriginConnector = origin,
        Policy = policy,
    };
}
