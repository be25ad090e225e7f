using System.Buffers.Text;
using System.Globalization;
using System.Text;
using IntegrationBus.Storage;

namespace IntegrationBus.AspNetCore.Management;

/// <summary>
/// The opaque, URL-safe paging cursor of <c>GET {prefix}/api/tasks</c> (<c>next</c> in an answer, <c>after</c> in a
/// request): base64url of <c>1|taskId|O or I|connector</c>. Clients pass it back unchanged.
/// </summary>
internal static class TaskCursor
{
    private const string Version = "1";

    public static string Encode(TaskPosition position)
    {
        var text = string.Create(CultureInfo.InvariantCulture, $"{Version}|{position.TaskId}|{(position.Direction == TaskDirection.Outgoing ? 'O' : 'I')}|{position.Connector}");
        return Base64Url.EncodeToString(Encoding.UTF8.GetBytes(text));
    }

    public static bool TryDecode(string cursor, out TaskPosition position)
    {
        position = default;
        byte[] bytes;
        try
        {
            bytes = Base64Url.DecodeFromChars(cursor);
        }
        catch (FormatException)
        {
            return false;
        }

        string text;
        try
        {
            text = new UTF8Encoding(false, true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return false;
        }

        var parts = text.Split('|', 4);
        if (parts.Length != 4 || parts[0] != Version || parts[3].Length == 0
            || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var taskId))
        {
            return false;
        }

        TaskDirection? direction = parts[2] switch
        {
            "O" => TaskDirection.Outgoing,
            "I" => TaskDirection.Incoming,
            _ => null,
        };
        if (direction is null)
        {
            return false;
        }

        position = new TaskPosition(taskId, parts[3], direction.Value);
        return true;
    }
}
