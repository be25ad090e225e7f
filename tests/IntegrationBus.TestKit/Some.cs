using IntegrationBus.Storage;

namespace IntegrationBus.TestKit;

/// <summary>Builds unique test data.</summary>
public static class Some
{
    /// <summary>The time tests start at unless they say otherwise (whole milliseconds, UTC).</summary>
    public static readonly DateTimeOffset Epoch = new(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);

    /// <summary>A unique connector code name (lower-case ASCII, so every database sorts it the same way).</summary>
    public static string Connector() => Name("connector");

    /// <summary>A unique connector code name that sorts after every name with a lower <paramref name="rank"/> (lower-case ASCII).</summary>
    public static string Connector(int rank) => $"c{rank:D3}-{Guid.NewGuid():N}";

    /// <summary>A unique owner ID for leases.</summary>
    public static string Owner() => Name("owner");

    /// <summary>A unique object type name.</summary>
    public static string ObjectType() => Name("test.object");

    /// <summary>A unique string with a prefix.</summary>
    public static string Name(string prefix) => $"{prefix}-{Guid.NewGuid():N}";

    /// <summary>A versioned JSON payload with a unique value.</summary>
    public static string Payload() => "{\"v\":1,\"fields\":{\"name\":\"" + Guid.NewGuid().ToString("N") + "\"}}";

    /// <summary>A W3C <c>traceparent</c> with unique trace and span IDs.</summary>
    public static string TraceParent() => $"00-{Guid.NewGuid():N}-{Guid.NewGuid().ToString("N")[..16]}-01";

    /// <summary>An outgoing object update for the connectors, logged at <see cref="Epoch"/>.</summary>
    public static NewIntegrationTask Task(params string[] connectors) => Task(Epoch, connectors);

    /// <summary>An outgoing object update for the connectors, logged at <paramref name="createdAt"/>, with every optional field set.</summary>
    public static NewIntegrationTask Task(DateTimeOffset createdAt, params string[] connectors)
    {
        var objectId = Random.Shared.NextInt64(1, long.MaxValue);
        return new NewIntegrationTask
        {
            Guid = Guid.NewGuid(),
            Direction = TaskDirection.Outgoing,
            TaskType = TaskType.UpdateObject,
            DataType = DataType.Simple,
            ObjectType = "test.contact",
            ObjectId = objectId,
            ObjectGuid = Guid.NewGuid(),
            ObjectCodeName = Name("contact"),
            ObjectDisplayName = Name("Contact"),
            Site = "main",
            Payload = Payload(),
            CreatedAt = createdAt,
            Connectors = connectors,
            TraceParent = TraceParent(),
            TraceState = "vendor=" + objectId,
        };
    }

    /// <summary>An incoming task from <paramref name="origin"/> for the connectors, without object identity or trace.</summary>
    public static NewIntegrationTask IncomingTask(string origin, IncomingPolicy policy, params string[] connectors) => Task(connectors) with
    {
        Direction = TaskDirection.Incoming,
        TaskType = TaskType.CreateObject,
        DataType = DataType.SimpleSnapshot,
        ObjectId = null,
        ObjectGuid = null,
        ObjectCodeName = null,
        ObjectDisplayName = null,
        Site = null,
        OriginConnector = origin,
        Policy = policy,
        TraceParent = null,
        TraceState = null,
    };

    /// <summary>The queue of a connector in a direction.</summary>
    public static QueueKey Queue(string connector, TaskDirection direction = TaskDirection.Outgoing) => new(connector, direction);
}
