using System.Buffers;
using System.Text.Json;

namespace IntegrationBus.Webhooks;

/// <summary>Writes the JSON body a webhook connector POSTs for one task.</summary>
/// <remarks>
/// <code>
/// {"id":"6f0c…","taskType":"UpdateObject","dataType":"SimpleSnapshot","objectType":"crm.contact","site":"main",
///  "createdAt":"2026-11-30T12:00:00+00:00","payload":{"v":1,"dataType":"SimpleSnapshot","object":{…}}}
/// </code>
/// <c>id</c> is the task GUID (also the <c>webhook-id</c> header); <c>site</c> is null for global objects; <c>createdAt</c>
/// is when the change was logged; <c>payload</c> is the task's versioned payload, the same JSON the bus stores. The body
/// of a retry is byte for byte the same; only <c>webhook-timestamp</c> and the signatures change.
/// </remarks>
internal static class WebhookEnvelope
{
    public static byte[] Write(OutgoingTask task)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("id", task.Guid);
            writer.WriteString("taskType", task.TaskType.ToString());
            writer.WriteString("dataType", task.DataType.ToString());
            writer.WriteString("objectType", task.Object.TypeName);
            writer.WriteString("site", task.Site);
            writer.WriteString("createdAt", task.CreatedAt);
            writer.WritePropertyName("payload");
            TaskPayload.Write(writer, task.Snapshot, task.DataType);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
