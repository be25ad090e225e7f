namespace IntegrationBus.Demo.Content;

/// <summary>A category; articles and categories are many-to-many.</summary>
public sealed class Category
{
    public int CategoryId { get; set; }

    public string Name { get; set; } = "";
}
