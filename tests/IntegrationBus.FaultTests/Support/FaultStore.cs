using Microsoft.Data.Sqlite;

namespace IntegrationBus.FaultTests.Support;

/// <summary>Reads the queue in a worker's SQLite file directly.</summary>
public static class FaultStore
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(20);

    /// <summary>
    /// Polls the file (a live worker's too: WAL readers do not block it) until no task is queued; bounded by
    /// <see cref="WorkerProcess.Timeout"/>. A delivery is in the log before its result is recorded, so a clean stop right
    /// after the last line may abandon that call, which leaves it queued; wait for this before stopping.
    /// </summary>
    public static async Task WaitUntilEmptyAsync(string database)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(WorkerProcess.Timeout);
        while ((await QueuedObjectIdsAsync(database)).Count is var left && left > 0)
        {
            try
            {
                await Task.Delay(PollInterval, timeout.Token);
            }
            catch (OperationCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"The queue still held {left} tasks after {WorkerProcess.Timeout}.");
            }
        }
    }

    /// <summary>Returns the object IDs of the tasks still queued (not acknowledged) for any connector.</summary>
    public static async Task<HashSet<long>> QueuedObjectIdsAsync(string database)
    {
        var connectionString = new SqliteConnectionStringBuilder { DataSource = database, Pooling = false }.ToString();
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT t.object_id FROM integration_synchronization s JOIN integration_task t ON t.id = s.task_id";
        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        var ids = new HashSet<long>();
        while (await reader.ReadAsync(TestContext.Current.CancellationToken))
        {
            ids.Add(reader.GetInt64(0));
        }

        return ids;
    }
}
