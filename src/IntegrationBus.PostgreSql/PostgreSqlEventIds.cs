namespace IntegrationBus.PostgreSql;

/// <summary>Event IDs of the PostgreSQL store (5xxx: storage, 51xx for this store). Published IDs and names never change.</summary>
internal static class PostgreSqlEventIds
{
    /// <summary>The schema was created.</summary>
    public const int SchemaCreated = 5101;

    /// <summary>The schema was already current.</summary>
    public const int SchemaCurrent = 5102;

    /// <summary>Retention deleted rows.</summary>
    public const int Purged = 5103;

    /// <summary>The notifier started listening.</summary>
    public const int Listening = 5104;

    /// <summary>A notification could not be read.</summary>
    public const int NotificationUnreadable = 5105;
}
