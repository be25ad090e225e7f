using System.Globalization;
using Microsoft.Data.Sqlite;

namespace IntegrationBus.Sqlite;

/// <summary>Creates and versions the store's schema, tracked in <c>PRAGMA user_version</c>.</summary>
/// <remarks>
/// A new file gets the current version at once; an older file is upgraded step by step in one immediate transaction,
/// so it is either fully upgraded or untouched, and two processes starting together upgrade it once. The DDL lives in
/// <see cref="SqliteSchemaScripts"/>.
/// </remarks>
internal static class SqliteSchema
{
    /// <summary>The schema version this code reads and writes.</summary>
    public const int CurrentVersion = 4;

    /// <summary>Switches the database to WAL and creates the schema when it is missing, or upgrades an older one.</summary>
    /// <param name="connection">An open connection of the store.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The journal mode and the version the file had before: 0 when the schema was created, <see cref="CurrentVersion"/> when it was current.</returns>
    /// <exception cref="IntegrationBusException">The database has a newer schema than this code knows.</exception>
    public static async Task<(string JournalMode, int PreviousVersion)> EnsureAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        string journalMode;
        using (var wal = connection.CreateCommand())
        {
            wal.CommandText = "PRAGMA journal_mode=WAL;";
            journalMode = Convert.ToString(await wal.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture) ?? string.Empty;
        }

        if (await ReadVersionAsync(connection, null, cancellationToken).ConfigureAwait(false) == CurrentVersion)
        {
            return (journalMode, CurrentVersion);
        }

        using var transaction = connection.BeginTransaction(deferred: false);
        var version = await ReadVersionAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
        if (version == CurrentVersion)
        {
            return (journalMode, CurrentVersion);
        }

        using (var create = connection.CreateCommand())
        {
            create.Transaction = transaction;
            create.CommandText = version switch
            {
                0 => SqliteSchemaScripts.CreateVersion2 + SqliteSchemaScripts.Version3Additions + SqliteSchemaScripts.Version4Additions,
                1 => SqliteSchemaScripts.MigrateVersion1To2 + SqliteSchemaScripts.Version3Additions + SqliteSchemaScripts.Version4Additions,
                2 => SqliteSchemaScripts.Version3Additions + SqliteSchemaScripts.Version4Additions,
                3 => SqliteSchemaScripts.Version4Additions,
                _ => throw new System.Diagnostics.UnreachableException($"No upgrade from schema version {version}."),
            };
            await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return (journalMode, version);
    }

    private static async Task<int> ReadVersionAsync(SqliteConnection connection, SqliteTransaction? transaction, CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "PRAGMA user_version;";
        var version = Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
        if (version > CurrentVersion)
        {
            throw new IntegrationBusException(string.Create(CultureInfo.InvariantCulture,
                $"The SQLite database '{connection.DataSource}' has IntegrationBus schema version {version}, but this version of IntegrationBus.Sqlite knows only up to version {CurrentVersion}. Upgrade the IntegrationBus packages, or point the store at another database."));
        }

        if (version < 0)
        {
            throw new IntegrationBusException(string.Create(CultureInfo.InvariantCulture,
                $"The SQLite database '{connection.DataSource}' has an unknown schema version {version}. Point the store at an IntegrationBus database or an empty file."));
        }

        return version;
    }
}
