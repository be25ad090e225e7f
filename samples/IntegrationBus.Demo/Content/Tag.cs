namespace IntegrationBus.Demo.Content;

/// <summary>A tag; articles and tags are many-to-many.</summary>
public sealed class Tag
{
    public int TagId { get; set; }

    public string Name { get; set; } = "";
}
