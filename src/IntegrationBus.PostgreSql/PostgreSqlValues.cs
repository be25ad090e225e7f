using IntegrationBus.Storage;
using Npgsql;

namespace IntegrationBus.PostgreSql;

/// <summary>Conversions between .NET values and the store's columns, and the column lists the readers expect.</summary>
internal static class PostgreSqlValues
{
    /// <summary>Checks a queue key's partition: at most <see cref="PostgreSqlQueueStore.MaxPartitions"/>, and the partition within the count.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The key's partition is out of range.</exception>
    public static void CheckPartition(QueueKey queue, string parameterName)
    {
        if (queue.Partitions > PostgreSqlQueueStore.MaxPartitions || queue.Partition >= queue.Partitions)
        {
            throw new ArgumentOutOfRangeException(parameterName, queue.ToString(),
                $"A queue can be split into 1 to {PostgreSqlQueueStore.MaxPartitions} partitions, numbered from 0 to the count - 1; {queue.Connector} asks for partition {queue.Partition} of {queue.Partitions}.");
        }
    }

    /// <summary>The columns of a queued task, in the order <see cref="ReadQueuedTask"/> reads them.</summary>
    public const string QueuedTaskColumns =
        "t.id, t.guid, t.object_type, t.object_id, t.object_guid, t.site, t.payload, t.created_at, t.origin_connector, " +
        "s.next_attempt_at, t.trace_parent, t.trace_state, s.status, t.direction, t.data_type, t.policy, t.task_type, s.attempts, s.ordering_key, t.connector_count";

    /// <summary>The columns of a task's description (alias <c>t</c>), in the order <see cref="ReadTaskInfo"/> reads them.</summary>
    public const string TaskInfoColumns =
        "t.id, t.guid, t.direction, t.task_type, t.data_type, t.object_type, t.object_id, t.object_guid, t.object_code_name, " +
        "t.object_display_name, t.site, t.created_at, t.origin_connector, t.policy";

    /// <summary>How many columns <see cref="TaskInfoColumns"/> has.</summary>
    public const int TaskInfoColumnCount = 14;

    /// <summary>The columns of a synchronization (aliases <c>s</c> and <c>c</c>), in the order <see cref="ReadSynchronization"/> reads them.</summary>
    public const string SynchronizationColumns = "c.name, s.direction, s.status, s.attempts, s.last_error, s.last_run_at, s.next_attempt_at";

    /// <summary>The order of connector names everywhere (lists, keysets, overviews): ASCII case folded, then byte order, like SQLite's <c>NOCASE</c>.</summary>
    public const string ConnectorOrder = "lower(c.name) COLLATE \"C\"";

    /// <summary>Converts a time to the stored value: UTC, cut to whole milliseconds.</summary>
    /// <param name="value">The time.</param>
    /// <returns>The UTC <see cref="DateTime"/> for a <c>timestamptz</c> parameter.</returns>
    public static DateTime ToDb(DateTimeOffset value)
    {
        var ticks = value.UtcTicks;
        return new DateTime(ticks - (ticks % TimeSpan.TicksPerMillisecond), DateTimeKind.Utc);
    }

    /// <summary>Converts an optional time to a parameter value.</summary>
    /// <param name="value">The time.</param>
    /// <returns>The UTC time, or <see cref="DBNull.Value"/>.</returns>
    public static object ToDb(DateTimeOffset? value) => value is { } time ? ToDb(time) : DBNull.Value;

    /// <summary>Converts an optional value to a parameter value.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The value, or <see cref="DBNull.Value"/>.</returns>
    public static object ToDb(object? value) => value ?? DBNull.Value;

    /// <summary>Reads a time column.</summary>
    /// <param name="reader">The reader on the row.</param>
    /// <param name="ordinal">The column.</param>
    /// <returns>The time, in UTC.</returns>
    public static DateTimeOffset ReadTime(NpgsqlDataReader reader, int ordinal) => new(reader.GetFieldValue<DateTime>(ordinal), TimeSpan.Zero);

    /// <summary>Reads an optional time column.</summary>
    /// <param name="reader">The reader on the row.</param>
    /// <param name="ordinal">The column.</param>
    /// <returns>The time, or <see langword="null"/>.</returns>
    public static DateTimeOffset? ReadOptionalTime(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : ReadTime(reader, ordinal);

    /// <summary>Reads an optional text column.</summary>
    /// <param name="reader">The reader on the row.</param>
    /// <param name="ordinal">The column.</param>
    /// <returns>The text, or <see langword="null"/>.</returns>
    public static string? ReadString(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    /// <summary>Reads a queued task from a row of <see cref="QueuedTaskColumns"/>.</summary>
    /// <param name="reader">The reader on the row.</param>
    /// <returns>The task.</returns>
    public static QueuedTask ReadQueuedTask(NpgsqlDataReader reader) => new()
    {
        Id = reader.GetInt64(0),
        Guid = reader.GetGuid(1),
        ObjectType = reader.GetString(2),
        ObjectId = reader.IsDBNull(3) ? null : reader.GetInt64(3),
        ObjectGuid = reader.IsDBNull(4) ? null : reader.GetGuid(4),
        Site = ReadString(reader, 5),
        Payload = reader.GetString(6),
        CreatedAt = ReadTime(reader, 7),
        OriginConnector = ReadString(reader, 8),
        NextAttemptAt = ReadOptionalTime(reader, 9),
        TraceParent = ReadString(reader, 10),
        TraceState = ReadString(reader, 11),
        Status = (SynchronizationStatus)reader.GetInt16(12),
        Direction = (TaskDirection)reader.GetInt16(13),
        DataType = (DataType)reader.GetInt16(14),
        Policy = (IncomingPolicy)reader.GetInt16(15),
        TaskType = (TaskType)reader.GetInt16(16),
        Attempts = reader.GetInt32(17),
        OrderingKey = ReadString(reader, 18),
        SynchronizationCount = reader.GetInt16(19),
    };

    /// <summary>Reads a task's description from <see cref="TaskInfoColumns"/> starting at <paramref name="offset"/>.</summary>
    /// <param name="reader">The reader on the row.</param>
    /// <param name="offset">The ordinal of the first column.</param>
    /// <returns>The description.</returns>
    public static IntegrationTaskInfo ReadTaskInfo(NpgsqlDataReader reader, int offset) => new()
    {
        Id = reader.GetInt64(offset),
        Guid = reader.GetGuid(offset + 1),
        Direction = (TaskDirection)reader.GetInt16(offset + 2),
        TaskType = (TaskType)reader.GetInt16(offset + 3),
        DataType = (DataType)reader.GetInt16(offset + 4),
        ObjectType = reader.GetString(offset + 5),
        ObjectId = reader.IsDBNull(offset + 6) ? null : reader.GetInt64(offset + 6),
        ObjectGuid = reader.IsDBNull(offset + 7) ? null : reader.GetGuid(offset + 7),
        ObjectCodeName = ReadString(reader, offset + 8),
        ObjectDisplayName = ReadString(reader, offset + 9),
        Site = ReadString(reader, offset + 10),
        CreatedAt = ReadTime(reader, offset + 11),
        OriginConnector = ReadString(reader, offset + 12),
        Policy = (IncomingPolicy)reader.GetInt16(offset + 13),
    };

    /// <summary>Reads a synchronization from <see cref="SynchronizationColumns"/> starting at <paramref name="offset"/>.</summary>
    /// <param name="reader">The reader on the row.</param>
    /// <param name="offset">The ordinal of the first column.</param>
    /// <returns>The synchronization.</returns>
    public static SynchronizationState ReadSynchronization(NpgsqlDataReader reader, int offset) => new()
    {
        Connector = reader.GetString(offset),
        Direction = (TaskDirection)reader.GetInt16(offset + 1),
        Status = (SynchronizationStatus)reader.GetInt16(offset + 2),
        Attempts = reader.GetInt32(offset + 3),
        LastError = ReadString(reader, offset + 4),
        LastRunAt = ReadOptionalTime(reader, offset + 5),
        NextAttemptAt = ReadOptionalTime(reader, offset + 6),
    };
}
