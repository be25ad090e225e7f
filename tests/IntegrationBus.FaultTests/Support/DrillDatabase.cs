using Npgsql;

namespace IntegrationBus.FaultTests.Support;

/// <summary>
/// The PostgreSQL database of a drill and its schema (fresh, dropped at the end), read directly while the node processes
/// run: who holds which lease, what is still queued, and whose connections to terminate.
/// </summary>
public sealed class DrillDatabase : IAsyncDisposable
{
    public const string Variable = "INTEGRATIONBUS_TEST_POSTGRES";

    private DrillDatabase(string connectionString)
    {
        ConnectionString = connectionString;
        Schema = $"ibus_drill_{Guid.NewGuid():N}";
    }

    public string ConnectionString { get; }

    public string Schema { get; }

    /// <summary>The database of <c>INTEGRATIONBUS_TEST_POSTGRES</c>; skips the drill when it is unset (fails it when <c>CI=true</c>).</summary>
    public static DrillDatabase Require()
    {
        var connectionString = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            Assert.False(
                string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase),
                $"{Variable} is not set, but CI=true: .ci/run must start PostgreSQL and set it.");
            Assert.Skip($"No PostgreSQL server: set {Variable} to a connection string (scripts/postgres-local.sh start does) to run the PostgreSQL drills.");
        }

        return new DrillDatabase(connectionString);
    }

    /// <summary>A drill on a server of its own (see <see cref="PrivateServer"/>).</summary>
    public static DrillDatabase On(PrivateServer server) => new(server.ConnectionString);

    /// <summary>The live leases per owner process ID (owners are <c>machine:pid:random</c>).</summary>
    public async Task<Dictionary<int, int>> LeasesByProcessAsync()
    {
        var leases = new Dictionary<int, int>();
        await foreach (var (owner, count) in QueryAsync(
            $"SELECT owner, count(*) FROM \"{Schema}\".integration_lease WHERE expires_at > now() GROUP BY owner",
            r => (r.GetString(0), r.GetInt64(1))))
        {
            leases[int.Parse(owner.Split(':')[1], System.Globalization.CultureInfo.InvariantCulture)] = (int)count;
        }

        return leases;
    }

    /// <summary>The live leases of one connector's outgoing partitions, per owner process ID.</summary>
    public async Task<Dictionary<int, int>> PartitionLeasesByProcessAsync(string connector)
    {
        var leases = new Dictionary<int, int>();
        await foreach (var (owner, count) in QueryAsync(
            $"""
            SELECT l.owner, count(*) FROM "{Schema}".integration_lease l JOIN "{Schema}".integration_connector c ON c.id = l.connector_id
            WHERE l.expires_at > now() AND l.direction = 0 AND c.name = @connector
            GROUP BY l.owner
            """,
            r => (r.GetString(0), r.GetInt64(1)),
            ("connector", connector)))
        {
            leases[int.Parse(owner.Split(':')[1], System.Globalization.CultureInfo.InvariantCulture)] = (int)count;
        }

        return leases;
    }

    /// <summary>The outgoing queues a process holds a live lease on that still have tasks.</summary>
    public async Task<List<string>> BusyQueuesHeldByAsync(int processId)
    {
        var queues = new List<string>();
        await foreach (var (owner, connector) in QueryAsync(
            $"""
            SELECT l.owner, c.name FROM "{Schema}".integration_lease l JOIN "{Schema}".integration_connector c ON c.id = l.connector_id
            WHERE l.expires_at > now() AND l.direction = 0
              AND EXISTS (SELECT 1 FROM "{Schema}".integration_synchronization s WHERE s.connector_id = l.connector_id AND s.direction = 0)
            """,
            r => (r.GetString(0), r.GetString(1))))
        {
            if (owner.Split(':')[1] == processId.ToString(System.Globalization.CultureInfo.InvariantCulture))
            {
                queues.Add(connector);
            }
        }

        return queues;
    }

    /// <summary>The database clock, which judges the leases.</summary>
    public async Task<DateTime> NowAsync()
    {
        await foreach (var now in QueryAsync("SELECT now()", r => r.GetDateTime(0)))
        {
            return now;
        }

        throw new InvalidOperationException("now() returned no row.");
    }

    /// <summary>The process IDs of the owners that took or renewed a lease after <paramref name="since"/> (database clock): its expiry lies more than a lease duration after it.</summary>
    public async Task<HashSet<int>> LeasingSinceAsync(DateTime since, TimeSpan lease)
    {
        var owners = new HashSet<int>();
        await foreach (var owner in QueryAsync(
            $"SELECT DISTINCT owner FROM \"{Schema}\".integration_lease WHERE expires_at > @after",
            r => r.GetString(0),
            ("after", since + lease)))
        {
            owners.Add(int.Parse(owner.Split(':')[1], System.Globalization.CultureInfo.InvariantCulture));
        }

        return owners;
    }

    /// <summary>How many tasks are queued (not acknowledged) for any connector and direction.</summary>
    public async Task<long> QueuedCountAsync()
    {
        await foreach (var count in QueryAsync($"SELECT count(*) FROM \"{Schema}\".integration_synchronization", r => r.GetInt64(0)))
        {
            return count;
        }

        return 0;
    }

    /// <summary>The queued tasks (not acknowledged) as <c>(connector, objectId)</c>.</summary>
    public async Task<HashSet<(string Connector, long Id)>> QueuedAsync()
    {
        var queued = new HashSet<(string, long)>();
        await foreach (var row in QueryAsync(
            $"""
            SELECT c.name, t.object_id FROM "{Schema}".integration_synchronization s
            JOIN "{Schema}".integration_connector c ON c.id = s.connector_id JOIN "{Schema}".integration_task t ON t.id = s.task_id
            """,
            r => (r.GetString(0), r.GetInt64(1))))
        {
            queued.Add(row);
        }

        return queued;
    }

    /// <summary>How many incoming tasks of a connector wait, and how many of them were ever attempted or are not pending.</summary>
    public async Task<(long Queued, long Touched)> IncomingAsync(string connector)
    {
        await foreach (var row in QueryAsync(
            $"""
            SELECT count(*), count(*) FILTER (WHERE s.attempts > 0 OR s.status <> 0 OR s.last_run_at IS NOT NULL)
            FROM "{Schema}".integration_synchronization s JOIN "{Schema}".integration_connector c ON c.id = s.connector_id
            WHERE c.name = @connector AND s.direction = 1
            """,
            r => (r.GetInt64(0), r.GetInt64(1)),
            ("connector", connector)))
        {
            return row;
        }

        return (0, 0);
    }

    /// <summary>Terminates every backend of one node (its connections carry the application name <c>ibus-&lt;node&gt;</c>).</summary>
    /// <returns>How many were terminated.</returns>
    public async Task<long> TerminateNodeAsync(string node)
    {
        await foreach (var count in QueryAsync(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = @name",
            r => r.GetInt64(0),
            ("name", $"ibus-{node}")))
        {
            return count;
        }

        return 0;
    }

    /// <summary>Polls until the condition holds; bounded by <see cref="WorkerProcess.Timeout"/>.</summary>
    public static async Task<T> WaitUntilAsync<T>(Func<Task<T>> read, Func<T, bool> condition, string what)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(WorkerProcess.Timeout);
        while (true)
        {
            var value = await read();
            if (condition(value))
            {
                return value;
            }

            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100), timeout.Token);
            }
            catch (OperationCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"Not within {WorkerProcess.Timeout}: {what}.");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(ConnectionString) { Pooling = false }.ConnectionString);
            await connection.OpenAsync(CancellationToken.None);
            await using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS \"{Schema}\" CASCADE", connection);
            await drop.ExecuteNonQueryAsync(CancellationToken.None);
        }
        catch (NpgsqlException)
        {
            // A private server is removed with its folder anyway.
        }
    }

    private async IAsyncEnumerable<T> QueryAsync<T>(string sql, Func<NpgsqlDataReader, T> read, params (string Name, object Value)[] parameters)
    {
        // No pool: a pooled connection would be a dead one after a server restart.
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(ConnectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        while (await reader.ReadAsync(TestContext.Current.CancellationToken))
        {
            yield return read(reader);
        }
    }
}
