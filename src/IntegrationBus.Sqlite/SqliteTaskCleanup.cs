using Microsoft.Data.Sqlite;

namespace IntegrationBus.Sqlite;

/// <summary>Removes tasks that no connector needs any more, with their attempt logs, after synchronization rows were deleted.</summary>
/// <remarks>
/// Every path that deletes synchronization rows (an OK, a discard, an operator's delete, retention of parked rows) calls
/// it in the same transaction with the IDs of the tasks it touched. It is one statement per table over the whole batch,
/// and each decides per task at the moment it runs whether any synchronization row is left, so a task acknowledged by
/// several connectors goes with the last acknowledgement, whichever transaction that is (SQLite runs one writer at a time).
/// </remarks>
internal static class SqliteTaskCleanup
{
    /// <summary>The statements, with the task IDs as the JSON array <c>@task_ids</c>.</summary>
    public const string Sql = """
        DELETE FROM integration_attempt
        WHERE task_id IN (SELECT value FROM json_each(@task_ids))
          AND NOT EXISTS (SELECT 1 FROM integration_synchronization s WHERE s.task_id = integration_attempt.task_id);
        DELETE FROM integration_task
        WHERE id IN (SELECT value FROM json_each(@task_ids))
          AND NOT EXISTS (SELECT 1 FROM integration_synchronization s WHERE s.task_id = integration_task.id);
        """;

    /// <summary>Deletes the tasks among <paramref name="taskIds"/> that have no synchronization row left, and their attempts.</summary>
    /// <param name="scope">The write transaction that deleted the synchronization rows.</param>
    /// <param name="taskIds">The tasks whose synchronization rows were deleted.</param>
    public static void Run(SqliteWriteScope scope, IReadOnlyCollection<long> taskIds)
    {
        if (taskIds.Count == 0)
        {
            return;
        }

        using var command = scope.CreateCommand(Sql);
        command.Parameters.Add("@task_ids", SqliteType.Text).Value = SqliteValues.ToJsonArray(taskIds);
        command.ExecuteNonQuery();
    }
}
