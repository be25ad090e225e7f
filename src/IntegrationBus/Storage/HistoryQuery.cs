
namespace IntegrationBus.Storage;

/// <summary>A page of the history of delivered tasks, newest first.</summary>
public sealed record HistoryQuery
{
    /// <summary>Gets the connector, or <see langword="null"/> for any.</summary>
    public string? Connector { get; init; }

    /// <summary>Gets the direction, or <see langword="null"/> for both.</summary>
    public TaskDirection? Direction { get; init; }

    /// <summary>Gets the object type, or <see langword="null"/> for any.</summary>
    public string? ObjectType { get; init; }

    /// <summary>Gets the entry ID before which to read (keyset paging), or <see langword="null"/> for the newest.</summary>
    public long? BeforeId { get; init; }

    /// <summary>Gets the most entries to return.</summary>
    /// <value>100.</value>
    public int Limit { get; init; } = 100;
}
