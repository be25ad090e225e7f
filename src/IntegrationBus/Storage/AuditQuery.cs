namespace IntegrationBus.Storage;

/// <summary>A page of the audit log, newest first.</summary>
public sealed record AuditQuery
{
    /// <summary>Gets the entry ID before which to read (keyset paging), or <see langword="null"/> for the newest.</summary>
    public long? BeforeId { get; init; }

    /// <summary>Gets the most entries to return.</summary>
    /// <value>100.</value>
    public int Limit { get; init; } = 100;
}
