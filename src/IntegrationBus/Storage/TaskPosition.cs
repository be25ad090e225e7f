using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace IntegrationBus.Storage;

/// <summary>A position in a task list, for keyset paging: lists are ordered by task ID, connector name and direction.</summary>
/// <param name="TaskId">The task ID.</param>
/// <param name="Connector">The connector's code name.</param>
/// <param name="Direction">The direction.</param>
public readonly record struct TaskPosition(long TaskId, string Connector, TaskDirection Direction)
{
    private const string CursorVersion = "1";

    /// <summary>Writes the position as an opaque, URL-safe cursor: the <c>next</c> / <c>after</c> value of the management API and <c>ibus</c>.</summary>
    /// <remarks>The format (base64url of <c>1|taskId|O or I|connector</c>) is the same for every transport, so a client may switch between them.</remarks>
    /// <returns>The cursor.</returns>
    public string ToCursor() =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture,
            $"{CursorVersion}|{TaskId}|{(Direction == TaskDirection.Outgoing ? 'O' : 'I')}|{Connector}")));

    /// <summary>Reads a cursor written by <see cref="ToCursor"/>.</summary>
    /// <param name="cursor">The cursor, as a client passed it back.</param>
    /// <param name="position">The position, when the cursor is valid.</param>
    /// <returns>Whether <paramref name="cursor"/> is such a cursor.</returns>
    public static bool TryParseCursor(string? cursor, out TaskPosition position)
    {
        position = default;
        if (cursor is null)
        {
            return false;
        }

        string text;
        try
        {
            text = new UTF8Encoding(false, true).GetString(Base64Url.DecodeFromChars(cursor));
        }
        catch (FormatException)
        {
            return false;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }

        var parts = text.Split('|', 4);
        if (parts.Length != 4 || parts[0] != CursorVersion || parts[3].Length == 0 || parts[2] is not ("O" or "I")
            || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var taskId))
        {
            return false;
        }

        position = new TaskPosition(taskId, parts[3], parts[2] == "O" ? TaskDirection.Outgoing : TaskDirection.Incoming);
        return true;
    }
}
