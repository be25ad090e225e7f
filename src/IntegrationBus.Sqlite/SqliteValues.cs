using IntegrationBus.Model;
using IntegrationBus.Storage;
using Microsoft.Data.Sqlite;

namespace IntegrationBus.Sqlite;

/// <summary>Conversions between .NET values and the store's columns.</summary>
internal static class SqliteValues
{
    /// <summary>The columns of a queued task, in the order <see cref="ReadQueuedTask"/> reads them.</summary>
    public const string QueuedTaskColumns =
        "t.id, t.guid, t.direction, t.task_type, t.data_type, t.object_type, t.object_id, t.site, t.payload, t.created_at, " +
        "t.origin_connector, t.policy, s.status, s.attempts, s.next_attempt_at";

    /// <summary>The columns of a task summary, in the order <see cref="ReadTaskSummary"/> reads them.</summary>
    public const string TaskSummaryColumns =
        "t.id, t.guid, c.name, s.direction, t.task_type, t.data_type, t.object_type, t.object_id, t.site, t.created_at, " +
        "s.status, s.attempts, s.last_error, s.last_run_at, s.next_attempt_at";

    /// <summary>Converts a time to the stored Unix milliseconds.</summary>
    /// <param name="value">The time.</param>
    /// <returns>Milliseconds since the Unix epoch.</returns>
    public static long ToUnixMs(DateTimeOffset value) => value.ToUnixTimeMilliseconds();

    /// <summary>Converts an optional time to a parameter value.</summary>
    /// <param name="value">The time.</param>
    /// <returns>Milliseconds since the Unix epoch, or <see cref="DBNull.Value"/>.</returns>
    public static object ToDb(DateTimeOffset? value) => value is { } time ? time.ToUnixTimeMilliseconds() : DBNull.Value;

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

    /// <summary>Reads a queued task from a row of <see cref="QueuedTaskColumns"/>.</summary>
    /// <param name="reader">The reader on the row.</param>
    /// <returns>The task.</returns>
    public static QueuedTask ReadQueuedTask(SqliteDataReader reader) => new(
        reader.GetInt64(0),
        Guid.Parse(reader.GetString(1)),
        (TaskDirection)reader.GetInt32(2),
        (TaskType)reader.GetInt32(3),
        (DataType)reader.GetInt32(4),
        reader.GetString(5),
        reader.IsDBNull(6) ? null : reader.GetInt64(6),
        reader.IsDBNull(7) ? null : reader.GetString(7),
        reader.GetString(8),
        DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(9)),
        reader.IsDBNull(10) ? null : reader.GetString(10),
        (IncomingPolicy)reader.GetInt32(11),
        (SynchronizationStatus)reader.GetInt32(12),
        reader.GetInt32(13),
        ReadTime(reader, 14));

    /// <summary>Reads a task summary from a row of <see cref="TaskSummaryColumns"/>.</summary>
    /// <param name="reader">The reader on the row.</param>
    /// <returns>The summary.</returns>
    public static TaskSummary ReadTaskSummary(SqliteDataReader reader) => new(
        reader.GetInt64(0),
        Guid.Parse(reader.GetString(1)),
        reader.GetString(2),
        (TaskDirection)reader.GetInt32(3),
        (TaskType)reader.GetInt32(4),
        (DataType)reader.GetInt32(5),
        reader.GetString(6),
        reader.IsDBNull(7) ? null : reader.GetInt64(7),
        reader.IsDBNull(8) ? null : reader.GetString(8),
        DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(9)),
        (SynchronizationStatus)reader.GetInt32(10),
        reader.GetInt32(11),
        reader.IsDBNull(12) ? null : reader.GetString(12),
        ReadTime(reader, 13),
        ReadTime(reader, 14));

    /// <summary>Reads an optional time column.</summary>
    /// <param name="reader">The reader on the row.</param>
    /// <param name="ordinal">The column.</param>
    /// <returns>The time, or <see langword="null"/>.</returns>
    public static DateTimeOffset? ReadTime(SqliteDataReader reader, int ordinal)
        => reader.IsDBNull(ordinal) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(ordinal));
}
