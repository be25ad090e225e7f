using Microsoft.Data.Sqlite;

namespace IntegrationBus.Sqlite.Tests;

public sealed class SqliteInsertStatementTests : IDisposable
{
    private readonly SqliteTestFiles _files = new();

    [Fact]
    public async Task Execute_ValuesRepeatedChangedAndNull_EveryRowHoldsWhatWasBoundForIt()
    {
        await using var connection = new SqliteConnection(SqliteTestFiles.ConnectionStringFor(_files.NewPath()));
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using (var create = connection.CreateCommand())
        {
            create.CommandText = "CREATE TABLE t (n INTEGER, s TEXT, g BLOB);";
            await create.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        var longText = new string('x', 300);
        var guid = Guid.NewGuid();
        (long? Number, string? Text, Guid? Guid)[] rows =
        [
            (1, "a", guid), (1, "a", guid), (null, null, null), (null, null, null), (2, "b", null), (1, "a", guid),
            (3, longText, guid), (3, longText, null), (3, "a", null), (null, "a", guid),
        ];
        using (var insert = SqliteInsertStatement.Prepare(connection, "INSERT INTO t (n, s, g) VALUES (?1, ?2, ?3);"))
        {
            foreach (var (number, text, id) in rows)
            {
                insert.Integer(1, number);
                insert.Text(2, text);
                insert.Blob(3, id);
                insert.Execute();
            }
        }

        var read = new List<(long? Number, string? Text, Guid? Guid)>();
        await using (var select = connection.CreateCommand())
        {
            select.CommandText = "SELECT n, s, g FROM t ORDER BY rowid;";
            await using var reader = await select.ExecuteReaderAsync(TestContext.Current.CancellationToken);
            while (await reader.ReadAsync(TestContext.Current.CancellationToken))
            {
                read.Add((
                    reader.IsDBNull(0) ? null : reader.GetInt64(0),
                    reader.IsDBNull(1) ? null : reader.GetString(1),
                    reader.IsDBNull(2) ? null : new Guid((byte[])reader.GetValue(2))));
            }
        }

        Assert.Equal(rows, read);
    }

    public void Dispose() => _files.Dispose();
}
