using System.Buffers.Text;
using System.Globalization;
using System.Text;
using IntegrationBus.Storage;

namespace IntegrationBus.Cli.Client;

/// <summary>The opaque cursor the tool prints for the next page over the store directly: a task list position, base64url.</summary>
internal static class TaskCursor
{
    /// <summary>Writes a position as a cursor.</summary>
    public static string Format(TaskPosition position) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{position.TaskId}|{(int)position.Direction}|{position.Connector}")));

    /// <summary>Reads a cursor this tool printed.</summary>
    /// <exception cref="UsageException">The text is not such a cursor.</exception>
    public static TaskPosition Parse(string cursor)
    {
        try
        {
            var parts = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor)).Split('|', 3);
            if (parts.Length == 3
                && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var taskId)
                && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var direction)
                && Enum.IsDefined((TaskDirection)direction)
                && parts[2].Length > 0)
            {
                return new TaskPosition(taskId, parts[2], (TaskDirection)direction);
            }
        }
        catch (FormatException)
        {
            // Reported below.
        }

        throw new UsageException($"--after: '{cursor}' is not a cursor this tool printed (use the 'next' value of the previous page).");
    }
}
