namespace IntegrationBus.Sqlite.Tests;

/// <summary>Schema version 1, to build files that older versions of the store created.</summary>
internal static class SqliteVersion1
{
    /// <summary>The DDL of schema version 1, as IntegrationBus.Sqlite created it before version 2 (a copy: the store no longer has it).</summary>
    public const string Version1 = """
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
}
