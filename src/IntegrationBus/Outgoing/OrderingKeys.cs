using System.Globalization;
using Microsoft.Extensions.Logging;

namespace IntegrationBus;

/// <summary>Computes the ordering keys of an outgoing task when it is logged (connectors with <see cref="Ordering.PerObject"/> only).</summary>
internal static class OrderingKeys
{
    /// <summary>Gets the default key of an object: its GUID (a page's node GUID), else <c>"{objectType}:{objectId}"</c>.</summary>
    /// <remarks>The runner uses the same key for a task logged without one (before its connector ordered per object).</remarks>
    public static string Default(string objectType, long? objectId, Guid? objectGuid) =>
        objectGuid is { } guid ? guid.ToString("D") : string.Create(CultureInfo.InvariantCulture, $"{objectType}:{objectId}");

    /// <summary>Gets one key per connector (null for connector ordering), or <see langword="null"/> when no connector orders per object.</summary>
    public static string?[]? For(ConnectorRuntime[] connectors, ObjectSnapshot snapshot, ILogger logger)
    {
        string?[]? keys = null;
        for (var i = 0; i < connectors.Length; i++)
        {
            var options = connectors[i].Options;
            if (options.Ordering != Ordering.PerObject)
            {
                continue;
            }

            keys ??= new string?[connectors.Length];
            keys[i] = Custom(connectors[i], snapshot, logger) ?? Default(snapshot.Object);
        }

        return keys;
    }

    private static string Default(BusObject obj) =>
        Default(obj.TypeName, obj.GetInt64(obj.Type.IdField), obj.Type.IsPage ? obj.NodeGuid ?? obj.Guid : obj.Guid);

    private static string? Custom(ConnectorRuntime connector, ObjectSnapshot snapshot, ILogger logger)
    {
        if (connector.Options.OrderingKey is not { } selector)
        {
            return null;
        }

        try
        {
            return selector(snapshot);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            // A broken selector must not fail the application's save: the task gets the default key.
            OutgoingLog.OrderingKeyFailed(logger, connector.Name, snapshot.Object.TypeName, exception);
            return null;
        }
    }
}
