using Microsoft.Data.Sqlite;

namespace IntegrationBus.FaultTests.Support;

/// <summary>Reads the queue in a worker's SQLite file directly, while no worker or only dead ones use it.</summary>
public static class FaultStore
{
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
