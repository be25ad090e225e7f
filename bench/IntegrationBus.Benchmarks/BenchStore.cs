using IntegrationBus.PostgreSql;
using IntegrationBus.Sqlite;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace IntegrationBus.Benchmarks;

/// <summary>Where a benchmark's bus keeps its queues: a fresh SQLite temp file, or a fresh schema on a PostgreSQL server.</summary>
internal abstract class BenchStore
{
    public static BenchStore Sqlite { get; } = new SqliteBenchStore();

    /// <summary>The store's name in the report (<c>sqlite</c>, <c>postgresql</c>).</summary>
    public abstract string Name { get; }

    /// <summary>A new, empty location: a file path or a schema name.</summary>
    public abstract string NewLocation();

    /// <summary>Points a bus at <paramref name="location"/>.</summary>
    public abstract void Use(IntegrationBusBuilder bus, string location);

    /// <summary>Removes a location once every bus on it is disposed.</summary>
    public abstract Task DeleteAsync(string location);

    /// <summary>A raw driver baseline on the same table shape (figure 6).</summary>
    public abstract IRawQueue CreateRaw();

    /// <summary>Lets the database finish what a bulk seed left it (figures 4 and 5): by default nothing.</summary>
    public virtual Task SettleAsync(string location) => Task.CompletedTask;

    private sealed class SqliteBenchStore : BenchStore
    {
        public override string Name => "sqlite";

        public override string NewLocation() => Path.Combine(Path.GetTempPath(), $"ibus-bench-{Guid.NewGuid():N}.db");

        public override void Use(IntegrationBusBuilder bus, string location) => bus.UseSqlite($"Data Source={location}");

        public override Task DeleteAsync(string location)
        {
            SqliteConnection.ClearAllPools();
            foreach (var suffix in new[] { "", "-wal", "-shm" })
            {
                File.Delete(location + suffix);
            }

            return Task.CompletedTask;
        }

        public override IRawQueue CreateRaw() => RawSqlite.Create();
    }
}

/// <summary>Fresh schemas (<c>bench_…</c>) on one PostgreSQL server, dropped after each run.</summary>
internal sealed class PostgreSqlBenchStore(string connectionString) : BenchStore
{
    public override string Name => "postgresql";

    public string ConnectionString { get; } = connectionString;

    public override string NewLocation() => $"bench_{Guid.NewGuid():N}";

    public override void Use(IntegrationBusBuilder bus, string location) => bus.UsePostgreSql(ConnectionString, o => o.Schema = location);

    public override async Task DeleteAsync(string location)
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP SCHEMA IF EXISTS {location} CASCADE;", connection);
        await command.ExecuteNonQueryAsync();
    }

    public override IRawQueue CreateRaw() => RawPostgreSql.Create(ConnectionString);

    /// <summary>
    /// A checkpoint and a vacuum of the queue tables, as a queue that grew over time would have had: a seed of 1,000,000
    /// rows just before the drain otherwise leaves the server writing them out and vacuuming them while it drains.
    /// </summary>
    public override async Task SettleAsync(string location)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        // One statement per command: VACUUM refuses to run in a multi-statement batch (it cannot be in a transaction).
        foreach (var sql in (string[])["CHECKPOINT;", $"VACUUM (ANALYZE) {location}.integration_task, {location}.integration_synchronization;"])
        {
            await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 600 };
            await command.ExecuteNonQueryAsync();
        }
    }
}

/// <summary>The raw driver baseline: the store's task and synchronization tables written and drained with plain ADO.NET.</summary>
internal interface IRawQueue : IDisposable
{
    /// <summary>Inserts tasks (one synchronization row each) in transactions of <paramref name="transactionSize"/> with prepared commands.</summary>
    TimeSpan Insert(int count, int transactionSize, string payload);

    /// <summary>Reads the queue in id order in batches of <paramref name="batchSize"/> and deletes each batch in one transaction.</summary>
    (TimeSpan Elapsed, long Read) ReadAndDelete(int batchSize);
}
