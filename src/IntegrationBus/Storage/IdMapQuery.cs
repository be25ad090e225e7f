namespace IntegrationBus.Storage;

/// <summary>A filter and page over one connector's ID map; entries come in ascending <see cref="IdMapEntry.Id"/> order.</summary>
public sealed record IdMapQuery
{
    /// <summary>Gets the connector whose entries to list.</summary>
    public required string Connector { get; init; }

    /// <summary>Gets the object type to list, or <see langword="null"/> for every type. Exact, case-sensitive.</summary>
    public string? ObjectType { get; init; }

    /// <summary>Gets the object GUID to find, or <see langword="null"/> for any.</summary>
    public Guid? ObjectGuid { get; init; }

    /// <summary>Gets the external ID to find (its text, see <see cref="ExternalId.ToString"/>), or <see langword="null"/> for any.</summary>
    public string? ExternalId { get; init; }

    /// <summary>Gets the entry ID to read after (the last <see cref="IdMapEntry.Id"/> of the previous page), or <see langword="null"/> from the start.</summary>
    public long? After { get; init; }

    /// <summary>Gets the page size.</summary>
    /// <value>100.</value>
    public int Limit { get; init; } = 100;
}
