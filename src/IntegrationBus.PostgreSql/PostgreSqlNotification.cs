using System.Text;
using System.Text.Json;
using IntegrationBus.Storage;

namespace IntegrationBus.PostgreSql;

/// <summary>The payload of a <c>NOTIFY</c>: a <see cref="BusNotification"/> as a small JSON object.</summary>
/// <remarks>
/// The text is the same for the same notification (fixed property order), so PostgreSQL folds the wake-ups that one
/// transaction sends for one queue into one: it delivers identical payloads on one channel once per transaction.
/// Example: <c>{"kind":0,"connector":"crm","direction":0}</c>.
/// </remarks>
internal static class PostgreSqlNotification
{
    /// <summary>Writes a notification's payload.</summary>
    /// <param name="notification">The notification.</param>
    /// <returns>The JSON text.</returns>
    public static string Format(BusNotification notification)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("kind", (int)notification.Kind);
            if (notification.Connector is not null)
            {
                writer.WriteString("connector", notification.Connector);
            }

            if (notification.Direction is { } direction)
            {
                writer.WriteNumber("direction", (int)direction);
            }

            if (notification.Sender is not null)
            {
                writer.WriteString("sender", notification.Sender);
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>Reads a notification's payload.</summary>
    /// <param name="payload">The JSON text.</param>
    /// <returns>The notification.</returns>
    /// <exception cref="JsonException">The text is not a bus notification.</exception>
    public static BusNotification Parse(string payload)
    {
        using var document = JsonDocument.Parse(payload);
        var root = document.RootElement;
        return new BusNotification
        {
            Kind = (BusNotificationKind)root.GetProperty("kind").GetInt32(),
            Connector = root.TryGetProperty("connector", out var connector) ? connector.GetString() : null,
            Direction = root.TryGetProperty("direction", out var direction) ? (TaskDirection)direction.GetInt32() : null,
            Sender = root.TryGetProperty("sender", out var sender) ? sender.GetString() : null,
        };
    }

    /// <summary>The payload that wakes the runners of one queue, sent by appends (no sender: every node, this one too, looks).</summary>
    /// <param name="connector">The connector's code name.</param>
    /// <param name="direction">The direction.</param>
    /// <returns>The JSON text.</returns>
    public static string QueueChanged(string connector, TaskDirection direction)
        => Format(new BusNotification { Kind = BusNotificationKind.QueueChanged, Connector = connector, Direction = direction });
}
