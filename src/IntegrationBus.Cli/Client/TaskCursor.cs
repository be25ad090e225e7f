using System.Buffers.Text;
using System.Globalization;
using System.Text;
using IntegrationBus.Storage;

namespace IntegrationBus.Cli.Client;

/// <summary>
/// The opaque cursor of the next page over the store directly, in the management API's format (base64url of
/// <c>1|taskId|O or I|connector</c>), so a script gets the same kind of cursor from either transport.
/// </summary>
internal static class TaskCursor
{
    private const string Version = "1";

    /// <summary>Writes a position as a cursor.</summary>
    public static string Format(TaskPosition position) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{Version}|{position.TaskId}|{(position.Direction == TaskDirection.Outgoing ? 'O' : 'I')}|{position.Connector}")));

    /// <summary>Reads a cursor printed as <c>next</c>.</summary>
    /// <exception cref="UsageException">The text is not such a cursor.</exception>
    public static TaskPosition Parse(string cursor)
    {
        try
        {
            var parts = new UTF8Encoding(false, true).GetString(Base64Url.DecodeFromChars(cursor)).Split('|', 4);
            if (parts.Length == 4 && parts[0] == Version && parts[3].Length > 0
                && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var taskId)
                && parts[2] is "O" or "I")
            {
                return new TaskPosition(taskId, parts[3], parts[2] == "O" ? TaskDirection.Outgoing : TaskDirection.Incoming);
            }
        }
        catch (FormatException)
        {
            // Reported below.
        }
        catch (DecoderFallbackException)
        {
            // Reported below.
        }

        throw new UsageException($"--after: '{cursor}' is not a cursor this tool printed (pass the 'next' value of the previous page unchanged).");
    }
}
