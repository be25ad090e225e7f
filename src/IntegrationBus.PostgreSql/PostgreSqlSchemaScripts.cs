namespace IntegrationBus.PostgreSql;

/// <summary>The DDL of the store's schema (tables written <c>ibus.table</c>; see <see cref="PostgreSqlDatabase.Sql"/>).</summary>
/// <remarks>
/// <para>
/// The tables and indexes are those of the SQLite store's version 2, in PostgreSQL types: <c>bigint</c> identity IDs
/// (never reused), <c>uuid</c> GUIDs, <c>text</c> payloads, <c>smallint</c> enums and <c>timestamptz</c> times. Every
/// time the store writes is cut to whole milliseconds (as the SQLite store keeps them), so times round-trip to the
/// millisecond in UTC; lease times come from the database clock and keep its microseconds.
/// </para>
/// <para>
/// Differences: connector names are unique ignoring case through an index on <c>lower(name)</c> (SQLite: <c>COLLATE
/// NOCASE</c>); a released lease has <c>expires_at = '-infinity'</c> (SQLite: 0); leases carry
/// <c>yield_requested</c>, and <c>integration_lease_candidate</c> records which nodes ask for which queue, for the fair
/// share (see <see cref="PostgreSqlLeaseStore"/>); there is no notification table, because <c>LISTEN/NOTIFY</c>
/// carries notifications and every node's sweep is the polling fallback.
/// </para>
/// <para>
/// The hot tables (<c>integration_task</c>, <c>integration_synchronization</c>) get a row per task and lose it when the
/// task is delivered, so they are mostly dead tuples under load: their autovacuum starts after 1 % of the table (plus
/// 1,000 rows) changed instead of 20 %, so dead rows are reclaimed while the table is small. See the package README.
/// </para>
/// </remarks>
internal static class PostgreSqlSchemaScripts
{
    /// <summary>Creates the version table; run first, under the migration lock.</summary>
    public const string CreateVersionTable = """
        CREATE TABLE IF NOT EXISTS ibus.integration_schema_version (
            version integer NOT NULL PRIMARY KEY,
            applied_at timestamptz NOT NULL DEFAULT now()
        );
        """;

    /// <summary>Reads the schema's version (0 when new).</summary>
    public const string ReadVersion = "SELECT COALESCE(MAX(version), 0) FROM ibus.integration_schema_version;";

    /// <summary>Creates schema version 1 in an empty schema.</summary>
    public const string CreateVersion1 = """
        CREATE TABLE ibus.integration_connector (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            name text NOT NULL,
            display_name text NOT NULL,
            enabled boolean NOT NULL DEFAULT true
        );
        CREATE UNIQUE INDEX ux_integration_connector_name ON ibus.integration_connector (lower(name));
        CREATE TABLE ibus.integration_task (
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
        CREATE TABLE ibus.integration_synchronization (
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
        CREATE INDEX ix_integration_synchronization_task_id ON ibus.integration_synchronization (task_id);
        CREATE INDEX ix_integration_synchronization_unfinished ON ibus.integration_synchronization (connector_id, direction, status, task_id)
            WHERE status <> 0;
        CREATE TABLE ibus.integration_attempt (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            task_id bigint NOT NULL,
            connector_id bigint NOT NULL,
            attempted_at timestamptz NOT NULL,
            result smallint NOT NULL,
            message text NULL,
            direction smallint NOT NULL DEFAULT 0,
            details text NULL
        );
        CREATE INDEX ix_integration_attempt_task_id ON ibus.integration_attempt (task_id);
        CREATE TABLE ibus.integration_idempotency (
            connector_id bigint NOT NULL,
            key text NOT NULL,
            task_id bigint NOT NULL,
            task_guid uuid NOT NULL,
            created_at timestamptz NOT NULL,
            PRIMARY KEY (connector_id, key)
        );
        CREATE TABLE ibus.integration_setting (
            key text PRIMARY KEY,
            value text NOT NULL
        );
        CREATE TABLE ibus.integration_lease (
            connector_id bigint NOT NULL,
            direction smallint NOT NULL,
            owner text NOT NULL,
            expires_at timestamptz NOT NULL,
            token bigint NOT NULL,
            acquired_at timestamptz NOT NULL,
            yield_requested boolean NOT NULL DEFAULT false,
            PRIMARY KEY (connector_id, direction)
        );
        CREATE TABLE ibus.integration_lease_candidate (
            connector_id bigint NOT NULL,
            direction smallint NOT NULL,
            owner text NOT NULL,
            last_seen timestamptz NOT NULL,
            PRIMARY KEY (connector_id, direction, owner)
        );
        CREATE TABLE ibus.integration_history (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            task_id bigint NOT NULL,
            guid uuid NOT NULL,
            direction smallint NOT NULL,
            task_type smallint NOT NULL,
            data_type smallint NOT NULL,
            object_type text NOT NULL,
            object_id bigint NULL,
            object_guid uuid NULL,
            object_code_name text NULL,
            object_display_name text NULL,
            site text NULL,
            payload text NOT NULL,
            created_at timestamptz NOT NULL,
            origin_connector text NULL,
            policy smallint NOT NULL DEFAULT 0,
            connector_id bigint NOT NULL,
            delivered_at timestamptz NOT NULL,
            attempts integer NOT NULL DEFAULT 0
        );
        CREATE INDEX ix_integration_history_connector ON ibus.integration_history (connector_id, direction, id);
        CREATE INDEX ix_integration_history_delivered_at ON ibus.integration_history (delivered_at);
        CREATE TABLE ibus.integration_audit (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            at timestamptz NOT NULL,
            actor text NULL,
            action text NOT NULL,
            target text NULL,
            count bigint NOT NULL DEFAULT 0
        );
        CREATE INDEX ix_integration_audit_at ON ibus.integration_audit (at);
        INSERT INTO ibus.integration_schema_version (version) VALUES (1);
        """;

    /// <summary>The tables and indexes that version 2 adds (the connector toolkit), the same for a new and an upgraded schema.</summary>
    public const string Version2Additions = """
        -- The number of synchronization rows a task was appended with (0 on rows from version 1: unknown). A task with
        -- one is deleted with its acknowledgement, without locking it first or looking for other connectors' rows.
        ALTER TABLE ibus.integration_task ADD COLUMN connector_count smallint NOT NULL DEFAULT 0;
        -- Circuit breaker: the state of each connector's breaker, shared by every node.
        CREATE TABLE ibus.integration_circuit_breaker (
            connector_id bigint PRIMARY KEY,
            state smallint NOT NULL,
            changed_at timestamptz NOT NULL,
            opened_at timestamptz NULL,
            open_until timestamptz NULL,
            reason text NULL
        );
        -- Standard Webhooks replay protection: one row per received webhook-id, bound to its connector and body.
        CREATE TABLE ibus.integration_webhook_message (
            message_id text PRIMARY KEY,
            connector_id bigint NOT NULL,
            body_hash text NOT NULL,
            task_id bigint NOT NULL,
            task_guid uuid NOT NULL,
            created_at timestamptz NOT NULL
        );
        CREATE INDEX ix_integration_webhook_message_created_at ON ibus.integration_webhook_message (created_at);

        -- ID map (issue 12): internal object <-> external ID per connector and object type; never purged by retention.
        CREATE TABLE ibus.integration_id_map (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            connector_id bigint NOT NULL,
            object_type text NOT NULL,
            object_guid uuid NOT NULL,
            object_id bigint NULL,
            external_id text NOT NULL,
            external_id_kind smallint NOT NULL,
            created_at timestamptz NOT NULL,
            updated_at timestamptz NOT NULL
        );
        CREATE UNIQUE INDEX ux_integration_id_map_object ON ibus.integration_id_map (connector_id, object_type, object_guid);
        CREATE UNIQUE INDEX ux_integration_id_map_external ON ibus.integration_id_map (connector_id, object_type, external_id);
        INSERT INTO ibus.integration_schema_version (version) VALUES (2);
        """;

    /// <summary>The tables, columns and indexes that version 3 adds (resync, ordering per key), the same for a new and an upgraded schema.</summary>
    public const string Version3Additions = """
        -- Ordering per key (issue 13): the task's key for its connector under Ordering.PerObject (NULL under connector
        -- ordering); released when an operator let the key's later tasks pass a parked (failed) task. The index holds only
        -- the rows that block their key (parked, not released), so appends and OKs never touch it.
        ALTER TABLE ibus.integration_synchronization ADD COLUMN ordering_key text NULL;
        ALTER TABLE ibus.integration_synchronization ADD COLUMN released boolean NOT NULL DEFAULT false;
        CREATE INDEX ix_integration_synchronization_ordering_key ON ibus.integration_synchronization (connector_id, direction, ordering_key, task_id) WHERE ordering_key IS NOT NULL AND status = 3 AND NOT released;
        -- Resync jobs (issue 12): one row per resync of a connector; cursor = type in progress + last ID done; claimed by one node until claimed_until (database clock).
        CREATE TABLE ibus.integration_resync (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            connector text NOT NULL,
            type_filter text NULL,
            since timestamptz NULL,
            state integer NOT NULL DEFAULT 0,
            cursor_type text NULL,
            cursor_id bigint NULL,
            queued bigint NOT NULL DEFAULT 0,
            error text NULL,
            created_at timestamptz NOT NULL,
            updated_at timestamptz NOT NULL,
            completed_at timestamptz NULL,
            started_by text NULL,
            claimed_by text NULL,
            claimed_until timestamptz NULL
        );
        CREATE INDEX ix_integration_resync_state ON ibus.integration_resync (state, id);
        INSERT INTO ibus.integration_schema_version (version) VALUES (3);
        """;

    /// <summary>The columns that version 4 adds (queue partitions), the same for a new and an upgraded schema.</summary>
    /// <remarks>
    /// A split outgoing queue (<c>ConnectorOptions.Partitions</c>) has one lease per partition; each lease row records the
    /// partition count it was granted for, so a node configured with another count waits while it is live.
    /// </remarks>
    public const string Version4Additions = """
        -- Queue partitions (issue 13): a lease and a candidacy per partition of a queue (0 for a queue that is not split).
        ALTER TABLE ibus.integration_lease ADD COLUMN partition_no smallint NOT NULL DEFAULT 0;
        ALTER TABLE ibus.integration_lease ADD COLUMN partition_count smallint NOT NULL DEFAULT 1;
        ALTER TABLE ibus.integration_lease DROP CONSTRAINT integration_lease_pkey;
        ALTER TABLE ibus.integration_lease ADD PRIMARY KEY (connector_id, direction, partition_no);
        ALTER TABLE ibus.integration_lease_candidate ADD COLUMN partition_no smallint NOT NULL DEFAULT 0;
        ALTER TABLE ibus.integration_lease_candidate DROP CONSTRAINT integration_lease_candidate_pkey;
        ALTER TABLE ibus.integration_lease_candidate ADD PRIMARY KEY (connector_id, direction, partition_no, owner);
        INSERT INTO ibus.integration_schema_version (version) VALUES (4);
        """;
}
