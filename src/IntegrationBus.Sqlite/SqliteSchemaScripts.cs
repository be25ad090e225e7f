namespace IntegrationBus.Sqlite;

/// <summary>The DDL of the store's schema: the current version for a new file, and each step up from an older one.</summary>
/// <remarks>
/// <para>
/// A new file and an upgraded file end with the same tables, columns (in the same order) and indexes: columns added
/// by an upgrade come last in <see cref="CreateVersion2"/> too, and <c>SqliteTaskStoreTests</c> compares the two.
/// </para>
/// <para>
/// Indexes on <c>integration_task</c> and <c>integration_synchronization</c> cost time on the hot path (every OK
/// deletes a task and its index entries), so there are only those that were measured to pay. The partial index of
/// unfinished synchronizations holds no pending row, so appends and OKs never touch it, and a connector's list of
/// failed tasks reads it instead of every pending row (0.1 ms instead of 74 ms for a page with 500,000 pending rows).
/// There is no object-type index: it cost every append and acknowledgement about 2 µs per task (measured on the drain);
/// a list by object type without a connector reads the task-ID order of the synchronizations and filters.
/// There is no index on the logging time: a list cannot use it without sorting the whole range (the list is in task
/// order, which a connector's primary key or the task-ID index gives), and with it acknowledging a task cost about
/// 10 % more. There is none on GUIDs or names either: random keys put every insert and delete on another page (an
/// index on the object GUID made each acknowledgement about three times as expensive), so a text search reads a
/// connector's queue, or every task, in order.
/// </para>
/// </remarks>
internal static class SqliteSchemaScripts
{
    /// <summary>Creates schema version 2 in an empty database.</summary>
    public const string CreateVersion2 = """
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
            policy INTEGER NOT NULL DEFAULT 0,
            object_guid BLOB NULL,
            object_code_name TEXT NULL,
            object_display_name TEXT NULL,
            trace_parent TEXT NULL,
            trace_state TEXT NULL
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
            message TEXT NULL,
            direction INTEGER NOT NULL DEFAULT 0,
            details TEXT NULL
        );
        CREATE INDEX ix_integration_attempt_task_id ON integration_attempt (task_id);
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
        """ + LeaseTable + Version2Additions;

    /// <summary>Upgrades schema version 1 to version 2 in place; run inside one transaction.</summary>
    /// <remarks>
    /// New task and attempt columns are added (existing rows get <c>NULL</c>; attempts get their task's direction), the
    /// lease table is rebuilt with fencing tokens (a held lease keeps its owner and expiry, with token 1), and the trigger
    /// that deleted a task with its last synchronization goes: every path that deletes synchronizations now does it itself.
    /// </remarks>
    public const string MigrateVersion1To2 = """
        DROP TRIGGER IF EXISTS tr_integration_synchronization_last_deleted;
        ALTER TABLE integration_task ADD COLUMN object_guid BLOB NULL;
        ALTER TABLE integration_task ADD COLUMN object_code_name TEXT NULL;
        ALTER TABLE integration_task ADD COLUMN object_display_name TEXT NULL;
        ALTER TABLE integration_task ADD COLUMN trace_parent TEXT NULL;
        ALTER TABLE integration_task ADD COLUMN trace_state TEXT NULL;
        ALTER TABLE integration_attempt ADD COLUMN direction INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE integration_attempt ADD COLUMN details TEXT NULL;
        UPDATE integration_attempt
        SET direction = COALESCE((SELECT t.direction FROM integration_task t WHERE t.id = integration_attempt.task_id), 0);
        ALTER TABLE integration_lease RENAME TO integration_lease_v1;
        """ + LeaseTable + """
        INSERT INTO integration_lease (connector_id, direction, owner, expires_at, token, acquired_at)
        SELECT connector_id, direction, owner, expires_at, 1, expires_at FROM integration_lease_v1;
        DROP TABLE integration_lease_v1;
        """ + Version2Additions;

    /// <summary>The lease table of version 2: a row per queue that was ever leased; a released lease keeps its row and token.</summary>
    private const string LeaseTable = """

        CREATE TABLE integration_lease (
            connector_id INTEGER NOT NULL,
            direction INTEGER NOT NULL,
            owner TEXT NOT NULL,
            expires_at INTEGER NOT NULL,
            token INTEGER NOT NULL,
            acquired_at INTEGER NOT NULL,
            PRIMARY KEY (connector_id, direction)
        ) WITHOUT ROWID;

        """;

    /// <summary>The tables and indexes that version 2 adds, the same for a new and an upgraded file.</summary>
    private const string Version2Additions = """

        CREATE INDEX ix_integration_synchronization_unfinished ON integration_synchronization (connector_id, direction, status, task_id)
            WHERE status <> 0;
        CREATE TABLE integration_history (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            task_id INTEGER NOT NULL,
            guid TEXT NOT NULL,
            direction INTEGER NOT NULL,
            task_type INTEGER NOT NULL,
            data_type INTEGER NOT NULL,
            object_type TEXT NOT NULL,
            object_id INTEGER NULL,
            object_guid BLOB NULL,
            object_code_name TEXT NULL,
            object_display_name TEXT NULL,
            site TEXT NULL,
            payload TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            origin_connector TEXT NULL,
            policy INTEGER NOT NULL DEFAULT 0,
            connector_id INTEGER NOT NULL,
            delivered_at INTEGER NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX ix_integration_history_connector ON integration_history (connector_id, direction, id);
        CREATE INDEX ix_integration_history_delivered_at ON integration_history (delivered_at);
        CREATE TABLE integration_audit (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            at INTEGER NOT NULL,
            actor TEXT NULL,
            action TEXT NOT NULL,
            target TEXT NULL,
            count INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX ix_integration_audit_at ON integration_audit (at);
        CREATE TABLE integration_notification (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            kind INTEGER NOT NULL,
            connector TEXT NULL,
            direction INTEGER NULL,
            sender TEXT NULL,
            created_at INTEGER NOT NULL
        );
        PRAGMA user_version = 2;
        """;

    /// <summary>The tables and indexes that version 3 adds (the connector toolkit), the same for a new and an upgraded file.</summary>
    public const string Version3Additions = """
        -- Circuit breaker: the state of each connector's breaker, shared by every node.
        CREATE TABLE integration_circuit_breaker (
            connector_id INTEGER PRIMARY KEY,
            state INTEGER NOT NULL,
            changed_at INTEGER NOT NULL,
            opened_at INTEGER NULL,
            open_until INTEGER NULL,
            reason TEXT NULL
        );
        -- Standard Webhooks replay protection: one row per received webhook-id, bound to its connector and body.
        CREATE TABLE integration_webhook_message (
            message_id TEXT PRIMARY KEY,
            connector_id INTEGER NOT NULL,
            body_hash TEXT NOT NULL,
            task_id INTEGER NOT NULL,
            task_guid TEXT NOT NULL,
            created_at INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE INDEX ix_integration_webhook_message_created_at ON integration_webhook_message (created_at);

        -- ID map (issue 12): internal object <-> external ID per connector and object type; never purged by retention.
        CREATE TABLE integration_id_map (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            connector_id INTEGER NOT NULL,
            object_type TEXT NOT NULL,
            object_guid BLOB NOT NULL,
            object_id INTEGER NULL,
            external_id TEXT NOT NULL,
            external_id_kind INTEGER NOT NULL,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL
        );
        CREATE UNIQUE INDEX ux_integration_id_map_object ON integration_id_map (connector_id, object_type, object_guid);
        CREATE UNIQUE INDEX ux_integration_id_map_external ON integration_id_map (connector_id, object_type, external_id);
        PRAGMA user_version = 3;
        """;

    /// <summary>The tables, columns and indexes that version 4 adds (resync, ordering per key), the same for a new and an upgraded file.</summary>
    public const string Version4Additions = """
        -- Ordering per key (issue 13): the task's key for its connector under Ordering.PerObject (NULL under connector
        -- ordering); released = 1 when an operator let the key's later tasks pass a parked (failed) task. The index holds
        -- only the rows that block their key (parked, not released), so appends and OKs never touch it.
        ALTER TABLE integration_synchronization ADD COLUMN ordering_key TEXT NULL;
        ALTER TABLE integration_synchronization ADD COLUMN released INTEGER NOT NULL DEFAULT 0;
        CREATE INDEX ix_integration_synchronization_ordering_key ON integration_synchronization (connector_id, direction, ordering_key, task_id) WHERE ordering_key IS NOT NULL AND status = 3 AND released = 0;
        -- Resync jobs (issue 12): one row per resync of a connector; cursor = type in progress + last ID done; claimed by one node until claimed_until.
        CREATE TABLE integration_resync (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            connector TEXT NOT NULL,
            type_filter TEXT NULL,
            since INTEGER NULL,
            state INTEGER NOT NULL DEFAULT 0,
            cursor_type TEXT NULL,
            cursor_id INTEGER NULL,
            queued INTEGER NOT NULL DEFAULT 0,
            error TEXT NULL,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            completed_at INTEGER NULL,
            started_by TEXT NULL,
            claimed_by TEXT NULL,
            claimed_until INTEGER NULL
        );
        CREATE INDEX ix_integration_resync_state ON integration_resync (state, id);
        PRAGMA user_version = 4;
        """;
}
