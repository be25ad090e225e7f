using Npgsql;
using NpgsqlTypes;

namespace IntegrationBus.PostgreSql;

/// <summary>
/// Deletes synchronization rows so that a task goes with its last one, however many transactions acknowledge it at
/// once: the affected task rows are locked first (<c>FOR UPDATE</c>, in ID order), then the synchronization rows are
/// deleted, then the tasks (and their attempt logs) that have none left.
/// </summary>
/// <remarks>
/// <para>
/// Under READ COMMITTED every statement reads the data committed when it starts. Two connectors acknowledging the same
/// task at once would otherwise each delete their row, each still see the other's, and both keep the task. With the
/// lock the second waits until the first commits; its following statements then see the first one's deletion, so the
/// last acknowledgement (whichever transaction that is) deletes the task. Locking in ID order keeps two batches from
/// waiting on each other. No trigger is needed, so commits are not serialised on a single writer.
/// </para>
/// <para>
/// A task appended for one connector (<c>connector_count = 1</c>, the common case) has a single synchronization row, on
/// which every transaction that deletes it meets, so it is not locked, and a runner's acknowledgement deletes it in the
/// statement that deletes that row, without searching for other connectors' rows (measured on a batch of 100: 0.4 ms on
/// the server instead of 1.1 ms).
/// </para>
/// <para>
/// Every path that deletes synchronization rows (an OK, a discard, an operator's delete, retention of parked rows) runs
/// <see cref="AddLock"/> before it touches a synchronization row and <see cref="AddCleanup"/> after the delete, in one
/// transaction (each statement of a batch is its own statement, with its own snapshot). The one exception is a runner's
/// batch whose tasks were all appended to its queue only (<see cref="IntegrationBus.Storage.RecordRequest.SingleQueueTasks"/>):
/// no task of it is locked by anyone, so its acknowledgement deletes the rows, the tasks and their attempts in one statement.
/// </para>
/// </remarks>
internal static class PostgreSqlTaskCleanup
{
    // A task appended for one connector has one synchronization row: transactions that delete it meet on that row, so
    // its task row needs no lock (locking writes every locked tuple).
    private const string LockSql = "SELECT id FROM ibus.integration_task WHERE id = ANY(@task_ids) AND connector_count <> 1 ORDER BY id FOR UPDATE;";

    // The "s.task_id = ANY" inside NOT EXISTS repeats what the join implies, so that the synchronization side is read
    // through its task_id index for the batch's IDs only. Without it PostgreSQL 15 may plan a hash anti join over a
    // sequential scan of every queued synchronization row (measured: 4 ms per batch of 100 with 10,000 queued,
    // growing with the queue).
    private const string DeleteAttemptsSql = """
        DELETE FROM ibus.integration_attempt a
        WHERE a.task_id = ANY(@task_ids)
          AND NOT EXISTS (SELECT 1 FROM ibus.integration_synchronization s WHERE s.task_id = a.task_id AND s.task_id = ANY(@task_ids));
        """;

    private const string DeleteTasksSql = """
        DELETE FROM ibus.integration_task t
        WHERE t.id = ANY(@task_ids)
          AND NOT EXISTS (SELECT 1 FROM ibus.integration_synchronization s WHERE s.task_id = t.id AND s.task_id = ANY(@task_ids));
        """;

    private const string DeleteSharedTasksSql = """
        DELETE FROM ibus.integration_task t
        WHERE t.id BETWEEN @first_task_id AND @last_task_id AND t.id = ANY(@task_ids) AND t.connector_count <> 1
          AND NOT EXISTS (SELECT 1 FROM ibus.integration_synchronization s WHERE s.task_id = t.id AND s.task_id = ANY(@task_ids));
        """;

    /// <summary>Adds the statement that locks the rows of the tasks that more than one connector had, in ID order.</summary>
    /// <param name="database">The database.</param>
    /// <param name="batch">The batch, before any statement that changes synchronization rows.</param>
    /// <param name="taskIds">The tasks whose synchronization rows will be deleted.</param>
    public static void AddLock(PostgreSqlDatabase database, NpgsqlBatch batch, long[] taskIds)
        => database.Add(batch, LockSql).Parameters.Add(Ids(taskIds));

    /// <summary>Adds the statements that delete the tasks left without synchronization rows, and their attempts.</summary>
    /// <param name="database">The database.</param>
    /// <param name="batch">The batch, after the statement that deleted synchronization rows.</param>
    /// <param name="taskIds">The tasks whose synchronization rows were deleted.</param>
    public static void AddCleanup(PostgreSqlDatabase database, NpgsqlBatch batch, long[] taskIds)
    {
        database.Add(batch, DeleteAttemptsSql).Parameters.Add(Ids(taskIds));
        database.Add(batch, DeleteTasksSql).Parameters.Add(Ids(taskIds));
    }

    /// <summary>
    /// Adds the statements that delete what a runner's acknowledgement left: the tasks that other connectors had too and
    /// now have no synchronization row, and the attempts of every task gone.
    /// </summary>
    /// <param name="database">The database.</param>
    /// <param name="batch">The batch, after the acknowledgement that deleted the runner's rows and its one-connector tasks.</param>
    /// <param name="taskIds">The acknowledged tasks, in ascending order.</param>
    public static void AddAcknowledgedCleanup(PostgreSqlDatabase database, NpgsqlBatch batch, long[] taskIds)
    {
        database.Add(batch, DeleteAttemptsSql).Parameters.Add(Ids(taskIds));
        var delete = database.Add(batch, DeleteSharedTasksSql).Parameters;
        delete.Add(Ids(taskIds));
        delete.AddWithValue("first_task_id", taskIds[0]);
        delete.AddWithValue("last_task_id", taskIds[^1]);
    }

    /// <summary>The task IDs as the array parameter <c>@task_ids</c>.</summary>
    /// <param name="taskIds">The IDs.</param>
    /// <returns>The parameter.</returns>
    public static NpgsqlParameter<long[]> Ids(long[] taskIds) => new("task_ids", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { TypedValue = taskIds };
}
