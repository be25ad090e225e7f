using Microsoft.Data.Sqlite;

namespace IntegrationBus.Sqlite.Tests;

/// <summary>Reads SQLite's query plan of a statement.</summary>
internal static class SqliteQueryPlan
{
    /// <summary>The plan's steps, as <c>EXPLAIN QUERY PLAN</c> describes them.</summary>
    public static async Task<List<string>> ExplainAsync(SqliteConnection connection, string sql, Action<SqliteCommand> bind)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + sql;
        bind(command);
        var plan = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        while (await reader.ReadAsync(TestContext.Current.CancellationToken))
        {
            plan.Add(reader.GetString(3));
        }

        return plan;
    }

    /// <summary>Binds every named parameter of a text to 1.</summary>
    public static void BindOnes(SqliteCommand command, params string[] names)
    {
        foreach (var name in names)
        {
            command.Parameters.AddWithValue(name, 1);
        }
    }
}
