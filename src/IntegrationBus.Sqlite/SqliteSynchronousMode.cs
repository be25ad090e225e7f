namespace IntegrationBus.Sqlite;

/// <summary>The SQLite <c>PRAGMA synchronous</c> setting used on every connection of the store.</summary>
public enum SqliteSynchronousMode
{
    /// <summary>No syncs: fastest, but a power loss can corrupt the database.</summary>
    Off = 0,

    /// <summary>With WAL, durable against a process crash; a power loss may lose the last commits.</summary>
    Normal = 1,

    /// <summary>Syncs on every commit: durable against a power loss.</summary>
    Full = 2,

    /// <summary>Like <see cref="Full"/>, and also syncs the directory after a journal is deleted.</summary>
    Extra = 3,
}
