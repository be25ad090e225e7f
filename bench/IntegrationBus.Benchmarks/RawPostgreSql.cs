using System.Diagnostics;
using Npgsql;
using NpgsqlTypes;

namespace IntegrationBus.Benchmarks;

/// <summary>The baseline on PostgreSQL: plain Npgsql on the store's task and synchronization tables, in a schema of its own.</summary>
internal sealed class RawPostgreSql : IRawQueue
{
    // The same shape as integration_task / integration_synchronization in PostgreSqlSchemaScripts (version 1),
    // with the same indexes and autovacuum settings.
    private const string Schema = """
        CREATE TABLE @schema.integration_task (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            guid uuid NOT NULL,
            direction smallint NOT NULL,
            task_type smallint NOT NULL,
            data_type smallint NOT NULL,
            object_type text NOT NULL,
            object_id bigint NULL,
            site text NULL,
            payload text NOT NULL,
            created_at timestamptz NOT NULL,
            origin_connector text NULL,
            policy smallint NOT NULL DEFAULT 0,
            object_guid uuid NULL,
            object_code_name text NULL,
            object_display_name text NULL,
            trace_parent text NULL,
            trace_state text NULL
        ) WITH (autovacuum_vacuum_scale_factor = 0.01, autovacuum_vacuum_threshold = 1000, autovacuum_analyze_scale_factor = 0.02);
        CREATE TABLE @schema.integration_synchronization (
            connector_id bigint NOT NULL,
            direction smallint NOT NULL,
            task_id bigint NOT NULL,
            status smallint NOT NULL DEFAULT 0,
            attempts integer NOT NULL DEFAULT 0,
            last_error text NULL,
            last_run_at timestamptz NULL,
            next_attempt_at timestamptz NULL,
            PRIMARY KEY (connector_id, direction, task_id)
        ) WITH (autovacuum_vacuum_scale_factor = 0.01, autovacuum_vacuum_threshold = 1000, autovacuum_analyze_scale_factor = 0.02);
        CREATE INDEX ON @schema.integration_synchronization (task_id);
        CREATE INDEX ON @schema.integration_synchronization (connector_id, direction, status, task_id) WHERE status <> 0;
        """;

    // Rows per NpgsqlBatch: one round trip carries this many prepared inserts.
    private const int StatementsPerBatch = 100;

    private readonly NpgsqlConnection _connection;
    private readonly string _schema;

    private RawPostgreSql(string connectionString, string schema)
    {
        _schema = schema;
        _connection = new NpgsqlConnection(connectionString);
        _connection.Open();
        Execute($"CREATE SCHEMA {schema};" + Schema.Replace("@schema.", schema + ".", StringComparison.Ordinal));
    }

    public static RawPostgreSql Create(string connectionString) => new(connectionString, $"raw_{Guid.NewGuid():N}");

    public TimeSpan Insert(int count, int transactionSize, string payload)
    {
        // Up to 100 statements a round trip; a smaller transaction sends all of its statements in one.
        var perBatch = Math.Min(StatementsPerBatch, transactionSize);
        if (count % perBatch != 0 || transactionSize % perBatch != 0)
        {
            throw new ArgumentException($"Counts must be multiples of {perBatch}.", nameof(count));
        }

        var stopwatch = Stopwatch.StartNew();
        var sql = $"""
            WITH t AS (
                INSERT INTO {_schema}.integration_task (guid, direction, task_type, data_type, object_type, object_id, payload, created_at, policy)
                VALUES ($1, 0, 1, 1, 'bench.item', $2, $3, $4, 0)
                RETURNING id)
            INSERT INTO {_schema}.integration_synchronization (connector_id, direction, task_id) SELECT 1, 0, id FROM t;
            """;
        var createdAt = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        using var batch = new NpgsqlBatch(_connection);
        for (var i = 0; i < perBatch; i++)
        {
            var command = new NpgsqlBatchCommand(sql);
            command.Parameters.Add(new NpgsqlParameter<Guid> { NpgsqlDbType = NpgsqlDbType.Uuid });
            command.Parameters.Add(new NpgsqlParameter<long> { NpgsqlDbType = NpgsqlDbType.Bigint });
            command.Parameters.Add(new NpgsqlParameter<string> { NpgsqlDbType = NpgsqlDbType.Text });
            command.Parameters.Add(new NpgsqlParameter<DateTime> { NpgsqlDbType = NpgsqlDbType.TimestampTz });
            batch.BatchCommands.Add(command);
        }

        batch.Prepare();
        var next = 0L;
        for (var done = 0; done < count; done += transactionSize)
        {
            using var transaction = _connection.BeginTransaction();
            batch.Transaction = transaction;
            var n = Math.Min(transactionSize, count - done);
            for (var sent = 0; sent < n; sent += perBatch)
            {
                foreach (var command in batch.BatchCommands)
                {
                    ((NpgsqlParameter<Guid>)command.Parameters[0]).TypedValue = Guid.NewGuid();
                    ((NpgsqlParameter<long>)command.Parameters[1]).TypedValue = next++;
                    ((NpgsqlParameter<string>)command.Parameters[2]).TypedValue = payload;
                    ((NpgsqlParameter<DateTime>)command.Parameters[3]).TypedValue = createdAt;
                }

                batch.ExecuteNonQuery();
            }

            transaction.Commit();
        }

        return stopwatch.Elapsed;
    }

    public (TimeSpan Elapsed, long Read) ReadAndDelete(int batchSize)
    {
        var stopwatch = Stopwatch.StartNew();
        using var select = new NpgsqlCommand($"""
            SELECT t.id, t.guid, t.direction, t.task_type, t.data_type, t.object_type, t.object_id, t.site, t.payload, t.created_at,
                   t.origin_connector, t.policy, s.status, s.attempts, s.next_attempt_at
            FROM {_schema}.integration_synchronization s
            JOIN {_schema}.integration_task t ON t.id = s.task_id
            WHERE s.connector_id = 1 AND s.direction = 0 AND s.task_id > $1 AND s.status < 2
            ORDER BY s.task_id
            LIMIT $2;
            """, _connection);
        var after = new NpgsqlParameter<long> { NpgsqlDbType = NpgsqlDbType.Bigint };
        select.Parameters.Add(after);
        select.Parameters.Add(new NpgsqlParameter<int> { NpgsqlDbType = NpgsqlDbType.Integer, TypedValue = batchSize });
        using var delete = new NpgsqlBatch(_connection)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand($"DELETE FROM {_schema}.integration_synchronization WHERE connector_id = 1 AND direction = 0 AND task_id > $1 AND task_id <= $2;"),
                new NpgsqlBatchCommand($"DELETE FROM {_schema}.integration_task WHERE id > $1 AND id <= $2;"),
            },
        };
        foreach (var command in delete.BatchCommands)
        {
            command.Parameters.Add(new NpgsqlParameter<long> { NpgsqlDbType = NpgsqlDbType.Bigint });
            command.Parameters.Add(new NpgsqlParameter<long> { NpgsqlDbType = NpgsqlDbType.Bigint });
        }

        select.Prepare();
        delete.Prepare();
        long read = 0;
        long cursor = 0;
        long checksum = 0;
        while (true)
        {
            after.TypedValue = cursor;
            var last = cursor;
            var rows = 0;
            using (var reader = select.ExecuteReader())
            {
                while (reader.Read())
                {
                    last = reader.GetInt64(0);
                    checksum += reader.GetString(8).Length + reader.GetInt16(3) + reader.GetGuid(1).GetHashCode();
                    rows++;
                }
            }

            if (rows == 0)
            {
                break;
            }

            using (var transaction = _connection.BeginTransaction())
            {
                delete.Transaction = transaction;
                foreach (var command in delete.BatchCommands)
                {
                    ((NpgsqlParameter<long>)command.Parameters[0]).TypedValue = cursor;
                    ((NpgsqlParameter<long>)command.Parameters[1]).TypedValue = last;
                }

                delete.ExecuteNonQuery();
                transaction.Commit();
            }

            read += rows;
            cursor = last;
            if (rows < batchSize)
            {
                break;
            }
        }

        GC.KeepAlive(checksum);
        return (stopwatch.Elapsed, read);
    }

    public void Dispose()
    {
        Execute($"DROP SCHEMA IF EXISTS {_schema} CASCADE;");
        _connection.Dispose();
    }

    private void Execute(string sql)
    {
        using var command = new NpgsqlCommand(sql, _connection);
        command.ExecuteNonQuery();
    }
}
