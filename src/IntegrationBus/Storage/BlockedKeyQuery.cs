namespace IntegrationBus.Storage;

/// <summary>A page over one connector's blocked keys; keys come in ascending order of their text (ordinal), then direction.</summary>
public sealed record BlockedKeyQuery
{
    /// <summary>Gets the connector whose blocked keys to list.</summary>
    public required string Connector { get; init; }

    /// <summary>Gets the direction to list, or <see langword="null"/> for both.</summary>
    public TaskDirection? Direction { get; init; }

    /// <summary>Gets the key to read after (the last <see cref="BlockedKey.Key"/> of the previous page), or <see langword="null"/> from the start.</summary>
    public string? After { get; init; }

    /// <summary>Gets the direction of <see cref="After"/>, when a key may be blocked in both directions.</summary>
    /// <value><see cref="TaskDirection.Incoming"/>: the page goes on after both directions of <see cref="After"/>.</value>
    public TaskDirection AfterDirection { get; init; } = TaskDirection.Incoming;

    /// <summary>Gets the page size.</summary>
    /// <value>100.</value>
    public int Limit { get; init; } = 100;
}
