using Npgsql;

namespace IntegrationBus.PostgreSql.Tests;

/// <summary>
/// The PostgreSQL server the tests use, from <c>INTEGRATIONBUS_TEST_POSTGRES</c> (a connection string; <c>.ci/run</c> and
/// <c>scripts/postgres-local.sh</c> set it). When it is unset a test skips, naming the variable, unless <c>CI=true</c>,
/// where a missing server fails the test. Each test gets its own schema, dropped at the end.
/// </summary>
public sealed class PostgreSqlTestServer : IAsyncDisposable
{
    /// <summary>The variable that holds the connection string.</summary>
    public const string Variable = "INTEGRATIONBUS_TEST_POSTGRES";

    private readonly List<string> _schemas = [];

    private PostgreSqlTestServer(string connectionString) => ConnectionString = connectionString;

    /// <summary>Gets the server's connection string.</summary>
    public string ConnectionString { get; }

    /// <summary>Gets the server, or skips the test (fails it on CI) when none is configured.</summary>
    public static PostgreSqlTestServer Require()
    {
        var connectionString = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            {
                Assert.Fail($"{Variable} is not set, but CI=true: .ci/run must start PostgreSQL and set it.");
            }

            Assert.Skip($"No PostgreSQL server: set {Variable} to a connection string (scripts/postgres-local.sh start does) to run the PostgreSQL tests.");
        }

        return new PostgreSqlTestServer(connectionString);
    }

    /// <summary>A new unique schema name, dropped when the server helper is disposed.</summary>
    public string NewSchema()
    {
        var schema = $"ibus_test_{Guid.NewGuid():N}";
        _schemas.Add(schema);
        return schema;
    }

    /// <summary>Opens a connection of its own (not the store's pool).</summary>
    public async Task<NpgsqlConnection> OpenAsync()
    {
        var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        return connection;
    }

    /// <summary>Runs a statement and returns its first value.</summary>
    public async Task<T> ScalarAsync<T>(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return (T)(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
    }

    /// <summary>Runs a statement that returns nothing.</summary>
    public async Task ExecuteAsync(string sql)
    {
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (_schemas.Count == 0)
        {
            return;
        }

        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync(CancellationToken.None);
        foreach (var schema in _schemas)
        {
            await using var command = new NpgsqlCommand($"DROP SCHEMA IF EXISTS \"{schema}\" CASCADE;", connection);
            await command.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }
}
