using IntegrationBus.Demo.Scenario;
using IntegrationBus.EntityFrameworkCore;
using IntegrationBus.PostgreSql;
using IntegrationBus.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace IntegrationBus.Demo.Content;

/// <summary>
/// Where the content application keeps its data and the bus its queues, always in one database so that the EF Core
/// interceptor writes the tasks in the entities' transaction: a SQLite file in the data directory (the default), or a
/// PostgreSQL database (<c>--postgresql "&lt;connection string&gt;"</c>), where the application's tables and the bus's
/// share one schema of the demo's own.
/// </summary>
public sealed class DemoDatabase
{
    /// <summary>The schema the served demo uses on PostgreSQL; a scenario run uses a fresh one and drops it at the end.</summary>
    public const string ServedSchema = "integrationbus_demo";

    private readonly string _connectionString;
    private readonly string? _schema;

    private DemoDatabase(string connectionString, string? schema)
    {
        _connectionString = connectionString;
        _schema = schema;
    }

    /// <summary>Gets a description for the start-up lines (never the connection string, which may hold a password).</summary>
    public string Description => _schema is null
        ? $"SQLite file {new SqliteConnectionStringBuilder(_connectionString).DataSource}"
        : $"PostgreSQL {new NpgsqlConnectionStringBuilder(_connectionString).Host}, schema {_schema}";

    public static DemoDatabase Sqlite(string dataDirectory) => new($"Data Source={Path.Combine(dataDirectory, "content.db")}", null);

    /// <summary>The content app and the bus in one schema of a PostgreSQL database; unqualified table names resolve there (search path).</summary>
    public static DemoDatabase PostgreSql(string connectionString, string schema)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException exception)
        {
            throw new ArgumentException($"--postgresql needs an Npgsql connection string such as \"Host=localhost;Username=postgres;Password=…;Database=demo\": {exception.Message}", nameof(connectionString), exception);
        }

        builder.SearchPath = schema;
        return new DemoDatabase(builder.ConnectionString, schema);
    }

    public DbContextOptionsBuilder UseForContent(DbContextOptionsBuilder options) =>
        _schema is null ? options.UseSqlite(_connectionString) : options.UseNpgsql(_connectionString);

    public IntegrationBusBuilder UseForBus(IntegrationBusBuilder bus) =>
        _schema is null ? bus.UseSqlite(_connectionString) : bus.UsePostgreSql(_connectionString, store => store.Schema = _schema);

    /// <summary>Creates the application's tables when they are missing; the bus creates its own at start.</summary>
    public async Task EnsureCreatedAsync(DeliveryLog deliveries, CancellationToken cancellationToken)
    {
        var options = new DbContextOptionsBuilder<AppDb>();
        UseForContent(options);
        await using var db = new AppDb(options.Options, deliveries);
        if (_schema is null)
        {
            // EnsureCreated does nothing once the bus has created its tables in the file, so the application's go first.
            await db.Database.EnsureCreatedAsync(cancellationToken);
            return;
        }

        // On a server EnsureCreated looks at the whole database; the demo looks at its own schema only.
        await ExecuteAsync($"CREATE SCHEMA IF NOT EXISTS \"{_schema}\"", cancellationToken);
        if (!await TableExistsAsync("Roles", cancellationToken))
        {
            await db.GetService<IRelationalDatabaseCreator>().CreateTablesAsync(cancellationToken);
        }
    }

    /// <summary>After a scenario run: drops its PostgreSQL schema, or lets go of the SQLite file (the caller deletes the data directory).</summary>
    public async Task DropAsync(CancellationToken cancellationToken)
    {
        if (_schema is null)
        {
            SqliteConnection.ClearAllPools();
            return;
        }

        NpgsqlConnection.ClearAllPools();
        await ExecuteAsync($"DROP SCHEMA IF EXISTS \"{_schema}\" CASCADE", cancellationToken);
    }

    private async Task<bool> TableExistsAsync(string table, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT to_regclass(format('%I.%I', @schema, @table)) IS NOT NULL", connection);
        command.Parameters.AddWithValue("schema", _schema!);
        command.Parameters.AddWithValue("table", table);
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private async Task ExecuteAsync(string sql, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
