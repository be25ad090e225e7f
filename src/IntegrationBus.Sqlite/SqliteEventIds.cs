namespace IntegrationBus.Sqlite;

/// <summary>Event IDs of the SQLite store (5xxx: storage). Published IDs and names never change.</summary>
internal static class SqliteEventIds
{
    /// <summary>The schema was created.</summary>
    public const int SchemaCreated = 5001;

    /// <summary>The schema was already current.</summary>
    public const int SchemaCurrent = 5002;

    /// <summary>The database could not switch to WAL.</summary>
    public const int WalUnavailable = 5003;

    /// <summary>Retention deleted rows.</summary>
    public const int Purged = 5004;

    /// <summary>An older schema was upgraded.</summary>
    public const int SchemaUpgraded = 5005;

    /// <summary>A background WAL checkpoint failed.</summary>
    public const int CheckpointFailed = 5006;
}
