using System.Globalization;
using Microsoft.Data.Sqlite;

namespace IntegrationBus.Sqlite;

/// <summary>Creates and versions the store's schema, tracked in <c>PRAGMA user_version</c>.</summary>
/// <remarks>
/// Deleting a task's last synchronization row (an OK, an operator's delete, retention) deletes the task and its
/// attempt log in a trigger, inside the same statement: one statement per acknowledged task instead of three,
/// and no code path can leave an orphaned task behind.
/// </remarks>
internal static class SqliteSchema
{
    /// <summary>The schema version this code reads and writes.</summary>
    public const int CurrentVersion = 1;

    private const string Version1 = """
        CREATE TABLE integration_connector (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE COLLATE NOCASE,
            display_name TEXT NOT NULL,
            enabled INTEGER NOT NULL DEFAULT 1
        );
        CREATE TABLE integration_task (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            guid TEXT NOT NULL,
            direction INTEGER NOT NULL,
            task_type INTEGER NOT NULL,
            data_type INTEGER NOT NULL,
            object_type TEXT NOT NULL,
            object_id INTEGER NULL,
            site TEXT NULL,
            payload TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            origin_connector TEXT NULL,
            policy INTEGER NOT NULL DEFAULT 0
        );
        CREATE TABLE integration_synchronization (
            connector_id INTEGER NOT NULL,
            direction INTEGER NOT NULL,
            task_id INTEGER NOT NULL,
            status INTEGER NOT NULL DEFAULT 0,
            attempts INTEGER NOT NULL DEFAULT 0,
            last_error TEXT NULL,
            last_run_at INTEGER NULL,
            next_attempt_at INTEGER NULL,
            PRIMARY KEY (connector_id, direction, task_id)
        ) WITHOUT ROWID;
        CREATE INDEX ix_integration_synchronization_task_id ON integration_synchronization (task_id);
        CREATE TABLE integration_attempt (
            id INTEGER PRIMARY KEY,
            task_id INTEGER NOT NULL,
            connector_id INTEGER NOT NULL,
            attempted_at INTEGER NOT NULL,
            result INTEGER NOT NULL,
            message TEXT NULL
        );
        CREATE INDEX ix_integration_attempt_task_id ON integration_attempt (task_id);
        CREATE TRIGGER tr_integration_synchronization_last_deleted
        AFTER DELETE ON integration_synchronization
        WHEN NOT EXISTS (SELECT 1 FROM integration_synchronization WHERE task_id = old.task_id)
        BEGIN
            DELETE FROM integration_attempt WHERE task_id = old.task_id;
            DELETE FROM integration_task WHERE id = old.task_id;
        END;
        CREATE TABLE integration_idempotency (
            connector_id INTEGER NOT NULL,
            key TEXT NOT NULL,
            task_id INTEGER NOT NULL,
            task_guid TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            PRIMARY KEY (connector_id, key)
        ) WITHOUT ROWID;
        CREATE TABLE integration_setting (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE integration_lease (
            connector_id INTEGER NOT NULL,
            direction INTEGER NOT NULL,
            owner TEXT NOT NULL,
            expires_at INTEGER NOT NULL,
            PRIMARY KEY (connector_id, direction)
        ) WITHOUT ROWID;
        PRAGMA user_version = 1;
        """;

    /// <summary>Switches the database to WAL and creates the schema when it is missing.</summary>
    /// <param name="connection">An open connection of the store.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The journal mode and whether the schema was created.</returns>
    /// <exception cref="IntegrationBusException">The database has a newer schema than this code knows.</exception>
    public static async Task<(string JournalMode, bool Created)> EnsureAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        string journalMode;
        using (var wal = connection.CreateCommand())
        {
            wal.CommandText = "PRAGMA journal_mode=WAL;";
            journalMode = Convert.ToString(await wal.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture) ?? string.Empty;
        }

        if (await ReadVersionAsync(connection, null, cancellationToken).ConfigureAwait(false) == CurrentVersion)
        {
            return (journalMode, false);
        }

        using var transaction = connection.BeginTransaction(deferred: false);
        var version = await ReadVersionAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
        if (version == CurrentVersion)
        {
            return (journalMode, false);
        }

        using (var create = connection.CreateCommand())
        {
            create.Transaction = transaction;
            create.CommandText = Version1;
            await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return (journalMode, true);
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
