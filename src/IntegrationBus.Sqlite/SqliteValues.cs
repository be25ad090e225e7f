using System.Globalization;
using IntegrationBus.Storage;
using Microsoft.Data.Sqlite;

namespace IntegrationBus.Sqlite;

/// <summary>Conversions between .NET values and the store's columns, and the column lists the readers expect.</summary>
internal static class SqliteValues
{
    /// <summary>The columns of a queued task, in the order <see cref="ReadQueuedTask"/> reads them.</summary>
    /// <remarks>
    /// Reading is the main cost of a fetch, and each column read is two or three calls into SQLite, so the small
    /// numbers travel packed in one column (see <see cref="ReadQueuedTask"/>); the appender keeps each in its range.
    /// </remarks>
    public const string QueuedTaskColumns =
        "t.id, t.guid, t.object_type, t.object_id, t.object_guid, t.site, t.payload, t.created_at, t.origin_connector, " +
        "s.next_attempt_at, t.trace_parent, t.trace_state, " +
        "s.status | (t.direction << 4) | (t.data_type << 8) | (t.policy << 16) | (t.task_type << 24) | (s.attempts << 32), s.ordering_key";

    /// <summary>The columns of a task's description (alias <c>t</c>), in the order <see cref="ReadTaskInfo"/> reads them.</summary>
    public const string TaskInfoColumns =
        "t.id, t.guid, t.direction, t.task_type, t.data_type, t.object_type, t.object_id, t.object_guid, t.object_code_name, " +
        "t.object_display_name, t.site, t.created_at, t.origin_connector, t.policy";

    /// <summary>How many columns <see cref="TaskInfoColumns"/> has.</summary>
    public const int TaskInfoColumnCount = 14;

    /// <summary>The columns of a synchronization (aliases <c>s</c> and <c>c</c>), in the order <see cref="ReadSynchronization"/> reads them.</summary>
    public const string SynchronizationColumns = "c.name, s.direction, s.status, s.attempts, s.last_error, s.last_run_at, s.next_attempt_at";

    /// <summary>Converts a time to the stored Unix milliseconds.</summary>
    /// <param name="value">The time.</param>
    /// <returns>Milliseconds since the Unix epoch.</returns>
    public static long ToUnixMs(DateTimeOffset value) => value.ToUnixTimeMilliseconds();

    /// <summary>Converts an optional time to a parameter value.</summary>
    /// <param name="value">The time.</param>
    /// <returns>Milliseconds since the Unix epoch, or <see cref="DBNull.Value"/>.</returns>
    public static object ToDb(DateTimeOffset? value) => value is { } time ? time.ToUnixTimeMilliseconds() : DBNull.Value;

    /// <summary>Converts an optional GUID to its stored text.</summary>
    /// <param name="value">The GUID.</param>
    /// <returns>The GUID in the <c>D</c> format (lower case), or <see cref="DBNull.Value"/>.</returns>
    public static object ToDb(Guid? value) => value is { } guid ? guid.ToString("D") : DBNull.Value;

    /// <summary>Converts an optional value to a parameter value.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The value, or <see cref="DBNull.Value"/>.</returns>
    public static object ToDb(object? value) => value ?? DBNull.Value;

    /// <summary>Adds a parameter with no value yet.</summary>
    /// <param name="command">The command.</param>
    /// <param name="name">The parameter name.</param>
    /// <param name="type">The column affinity.</param>
    /// <returns>The parameter, to set per row.</returns>
    public static SqliteParameter Add(SqliteCommand command, string name, SqliteType type) => command.Parameters.Add(name, type);

    /// <summary>Writes IDs as a JSON array, for statements that take a whole batch through <c>json_each</c>.</summary>
    /// <param name="ids">The IDs.</param>
    /// <returns>The JSON text.</returns>
    public static string ToJsonArray(IReadOnlyCollection<long> ids)
    {
        var builder = new System.Text.StringBuilder(2 + (ids.Count * 8));
        builder.Append('[');
        foreach (var id in ids)
        {
            if (builder.Length > 1)
            {
                builder.Append(',');
            }

            builder.Append(id.ToString(CultureInfo.InvariantCulture));
        }

        return builder.Append(']').ToString();
    }

    /// <summary>Reads a queued task from a row of <see cref="QueuedTaskColumns"/>.</summary>
    /// <param name="reader">The reader on the row.</param>
    /// <returns>The task.</returns>
    public static QueuedTask ReadQueuedTask(SqliteDataReader reader)
    {
        // GetValue is one call into SQLite fewer than IsDBNull and a typed getter.
        var packed = reader.GetInt64(12);
        return new QueuedTask
        {
            Id = reader.GetInt64(0),
            Guid = Guid.Parse(reader.GetString(1)),
            ObjectType = reader.GetString(2),
            ObjectId = reader.GetValue(3) is long objectId ? objectId : null,
            ObjectGuid = reader.GetValue(4) is byte[] objectGuid ? new Guid(objectGuid) : null,
            Site = reader.GetValue(5) as string,
            Payload = reader.GetString(6),
            CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(7)),
            OriginConnector = reader.GetValue(8) as string,
            NextAttemptAt = reader.GetValue(9) is long nextAttemptAt ? DateTimeOffset.FromUnixTimeMilliseconds(nextAttemptAt) : null,
            TraceParent = reader.GetValue(10) as string,
            TraceState = reader.GetValue(11) as string,
            Status = (SynchronizationStatus)(packed & 0xF),
            Direction = (TaskDirection)((packed >> 4) & 0xF),
            DataType = (DataType)((packed >> 8) & 0xFF),
            Policy = (IncomingPolicy)((packed >> 16) & 0xFF),
            TaskType = (TaskType)((packed >> 24) & 0xFF),
            Attempts = (int)(packed >> 32),
            OrderingKey = reader.GetValue(13) as string,
        };
    }

    /// <summary>Reads a task's description from <see cref="TaskInfoColumns"/> starting at <paramref name="offset"/>.</summary>
    /// <param name="reader">The reader on the row.</param>
    /// <param name="offset">The ordinal of the first column.</param>
    /// <returns>The description.</returns>
    public static IntegrationTaskInfo ReadTaskInfo(SqliteDataReader reader, int offset) => new()
    {
        Id = reader.GetInt64(offset),
        Guid = Guid.Parse(reader.GetString(offset + 1)),
        Direction = (TaskDirection)reader.GetInt32(offset + 2),
        TaskType = (TaskType)reader.GetInt32(offset + 3),
        DataType = (DataType)reader.GetInt32(offset + 4),
        ObjectType = reader.GetString(offset + 5),
        ObjectId = reader.IsDBNull(offset + 6) ? null : reader.GetInt64(offset + 6),
        ObjectGuid = ReadBlobGuid(reader, offset + 7),
        ObjectCodeName = ReadString(reader, offset + 8),
        ObjectDisplayName = ReadString(reader, offset + 9),
        Site = ReadString(reader, offset + 10),
        CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(offset + 11)),
        OriginConnector = ReadString(reader, offset + 12),
        Policy = (IncomingPolicy)reader.GetInt32(offset + 13),
    };

    /// <summary>Reads a synchronization from <see cref="SynchronizationColumns"/> starting at <paramref name="offset"/>.</summary>
    /// <param name="reader">The reader on the row.</param>
    /// <param name="offset">The ordinal of the first column.</param>
    /// <returns>The synchronization.</returns>
    public static SynchronizationState ReadSynchronization(SqliteDataReader reader, int offset) => new()
    {
        Connector = reader.GetString(offset),
        Direction = (TaskDirection)reader.GetInt32(offset + 1),
        Status = (SynchronizationStatus)reader.GetInt32(offset + 2),
        Attempts = reader.GetInt32(offset + 3),
        LastError = ReadString(reader, offset + 4),
        LastRunAt = ReadTime(reader, offset + 5),
        NextAttemptAt = ReadTime(reader, offset + 6),
    };

    /// <summary>Reads an optional time column.</summary>
    /// <param name="reader">The reader on the row.</param>
    /// <param name="ordinal">The column.</param>
    /// <returns>The time, or <see langword="null"/>.</returns>
    public static DateTimeOffset? ReadTime(SqliteDataReader reader, int ordinal)
        => reader.IsDBNull(ordinal) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(ordinal));

    /// <summary>Reads an optional text column.</summary>
    /// <param name="reader">The reader on the row.</param>
    /// <param name="ordinal">The column.</param>
    /// <returns>The text, or <see langword="null"/>.</returns>
    public static string? ReadString(SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    /// <summary>Reads an optional GUID stored as 16 bytes (the object GUID: a third of the text's size on every task row).</summary>
    /// <param name="reader">The reader on the row.</param>
    /// <param name="ordinal">The column.</param>
    /// <returns>The GUID, or <see langword="null"/>.</returns>
    public static Guid? ReadBlobGuid(SqliteDataReader reader, int ordinal) => reader.GetValue(ordinal) is byte[] bytes ? new Guid(bytes) : null;

    /// <summary>Converts an optional GUID to the stored 16 bytes.</summary>
    /// <param name="value">The GUID.</param>
    /// <returns>The bytes, or <see cref="DBNull.Value"/>.</returns>
    public static object ToBlob(Guid? value) => value is { } guid ? guid.ToByteArray() : DBNull.Value;
}
