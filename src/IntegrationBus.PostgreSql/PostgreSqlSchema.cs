using System.Globalization;
using Npgsql;

namespace IntegrationBus.PostgreSql;

/// <summary>Creates and versions the store's schema, tracked in <c>integration_schema_version</c>.</summary>
/// <remarks>
/// Everything runs in one transaction that first takes a transaction-level advisory lock derived from the schema name
/// (<c>pg_advisory_xact_lock</c>), so nodes starting together create or upgrade the schema once: the others wait for
/// the lock, then find it current. A failure rolls everything back. The DDL lives in <see cref="PostgreSqlSchemaScripts"/>.
/// </remarks>
internal static class PostgreSqlSchema
{
    /// <summary>The schema version this code reads and writes.</summary>
    public const int CurrentVersion = 4;

    /// <summary>Creates the schema when it is missing.</summary>
    /// <param name="database">The database.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The version the schema had before: 0 when it was created.</returns>
    /// <exception cref="IntegrationBusException">The schema has a newer version than this code knows.</exception>
    public static async Task<int> EnsureAsync(PostgreSqlDatabase database, CancellationToken cancellationToken)
    {
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                using (var batch = database.Batch(connection, transaction))
                {
                    database.Add(batch, "SELECT pg_advisory_xact_lock(@key);").Parameters.AddWithValue("key", database.MigrationLockKey);
                    // The schema's name is a validated identifier (PostgreSqlTaskStoreOptions.Schema), quoted.
                    database.Add(batch, "CREATE SCHEMA IF NOT EXISTS " + database.QuotedSchema + ";");
                    database.Add(batch, PostgreSqlSchemaScripts.CreateVersionTable);
                    await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                int version;
                using (var read = database.Command(connection, transaction, PostgreSqlSchemaScripts.ReadVersion))
                {
                    version = (int)(await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
                }

                Check(database, version);
                if (version == CurrentVersion)
                {
                    return version;
                }

                var script = version switch
                {
                    0 => PostgreSqlSchemaScripts.CreateVersion1 + PostgreSqlSchemaScripts.Version2Additions + PostgreSqlSchemaScripts.Version3Additions + PostgreSqlSchemaScripts.Version4Additions,
                    1 => PostgreSqlSchemaScripts.Version2Additions + PostgreSqlSchemaScripts.Version3Additions + PostgreSqlSchemaScripts.Version4Additions,
                    2 => PostgreSqlSchemaScripts.Version3Additions + PostgreSqlSchemaScripts.Version4Additions,
                    _ => PostgreSqlSchemaScripts.Version4Additions,
                };
                using (var create = database.Command(connection, transaction, script))
                {
                    await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return version;
            }
        }
    }

    private static void Check(PostgreSqlDatabase database, int version)
    {
        if (version > CurrentVersion)
        {
            throw new IntegrationBusException(string.Create(CultureInfo.InvariantCulture,
                $"The PostgreSQL schema '{database.Schema}' has IntegrationBus schema version {version}, but this version of IntegrationBus.PostgreSql knows only up to version {CurrentVersion}. Upgrade the IntegrationBus packages on every node, or point the store at another schema."));
        }
    }
}
